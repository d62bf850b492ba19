namespace EventKit.LoadTest;

/// <summary>
/// The decisions of the demo's scale executor (<c>--autoscale</c>): the demo's own <paramref name="baseNodes"/> are never
/// stopped, at most <paramref name="maxNodes"/> run, and a request whose fencing token is lower than the highest one
/// accepted (a deposed leader) or has none is refused. Nodes are counted by what it started (a node that is still
/// starting counts), not by the registry's count, which lags a starting node by seconds.
/// </summary>
internal sealed class LocalNodeScaler(int baseNodes, int maxNodes)
{
    private long _highestToken = long.MinValue;

    /// <summary>Extra nodes started (or starting) and not stopped.</summary>
    public int Extra { get; private set; }

    public ScaleDecision Decide(long? fencingToken, int? desiredReplicas)
    {
        if (fencingToken is not { } token)
        {
            return new ScaleDecision(false, 0, "refused: no fencing token (not the autoscaler's leader)");
        }

        if (token < _highestToken)
        {
            return new ScaleDecision(false, 0, $"refused: fencing token {token} is older than {_highestToken}");
        }

        _highestToken = token;
        if (desiredReplicas is not { } desired)
        {
            return new ScaleDecision(true, 0, "no replica count: nothing to do");
        }

        var target = Math.Clamp(desired, baseNodes, Math.Max(baseNodes, maxNodes)) - baseNodes;
        var delta = target - Extra;
        Extra = target;
        return new ScaleDecision(true, delta, delta switch
        {
            > 0 => $"start {delta} node(s) ({baseNodes + target} wanted)",
            < 0 => $"stop {-delta} node(s) ({baseNodes + target} wanted)",
            _ => $"{baseNodes + target} already running or starting",
        });
    }
}
