namespace EventKit.Monitoring;

/// <summary>
/// Adds capacity when the <see cref="RecoveryActionNames.ScaleOut"/> action runs. Optional: a scaling package (or
/// the host) registers one; without it the action raises the <c>scale_out_unavailable</c> alert instead.
/// </summary>
public interface IScaleExecutor
{
    /// <summary>Asks for more nodes.</summary>
    /// <param name="reason">Why (the rule's name and value), for the audit and the orchestrator's logs.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <returns>What was done, for the audit entry ("requested 2 → 3 replicas").</returns>
    ValueTask<string> ScaleOutAsync(string reason, CancellationToken cancellationToken);
}
