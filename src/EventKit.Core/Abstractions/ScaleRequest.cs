namespace EventKit;

/// <summary>A request to an <see cref="IScaleExecutor"/>.</summary>
/// <param name="Reason">Why: the autoscaler's reason or the alert rule with its value, for the orchestrator's logs.</param>
public sealed record ScaleRequest(string Reason)
{
    /// <summary>The replica count wanted, or <see langword="null"/> for "one step more" (the executor decides how many).</summary>
    public int? DesiredReplicas { get; init; }

    /// <summary>The replica count the caller saw (live nodes), if it knows it.</summary>
    public int? CurrentReplicas { get; init; }

    /// <summary>
    /// The caller's fencing token when it acts as the cluster's leader (EventKit.Scaling's autoscaler), else
    /// <see langword="null"/>. A target that keeps the highest token it has seen must refuse a lower one, so a deposed
    /// leader cannot scale.
    /// </summary>
    public long? FencingToken { get; init; }

    /// <summary>Whether this asks for more capacity without a target count.</summary>
    public bool IsScaleOutStep => DesiredReplicas is null;
}
