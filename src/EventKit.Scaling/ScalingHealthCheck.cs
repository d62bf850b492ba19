using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace EventKit.Scaling;

/// <summary>
/// Readiness of the node's place in the cluster (registered as <c>scaling</c>, tag <c>ready</c>, by <c>.AddScaling()</c>):
/// Degraded while its heartbeats do not reach Redis, in which case it claims neither leadership nor gate ownership
/// (check-ins go on through the per-node path).
/// </summary>
public sealed class ScalingHealthCheck : IHealthCheck
{
    private readonly INodeRegistry _registry;
    private readonly ILeaderElection _leader;

    /// <summary>Creates the check.</summary>
    /// <param name="registry">The node registry.</param>
    /// <param name="leader">The leader election.</param>
    public ScalingHealthCheck(INodeRegistry registry, ILeaderElection leader)
    {
        ArgumentNullException.ThrowIfNull(registry);
        ArgumentNullException.ThrowIfNull(leader);
        _registry = registry;
        _leader = leader;
    }

    /// <inheritdoc/>
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var data = new Dictionary<string, object>
        {
            ["node_id"] = _registry.LocalNodeId,
            ["nodes"] = _registry.Nodes.Count,
            ["leader"] = _leader.IsLeader,
            ["draining"] = _registry.Draining,
        };
        if (_leader.Lease is { } lease)
        {
            data["fencing_token"] = lease.Token;
        }

        return Task.FromResult(_registry.IsRegistered
            ? HealthCheckResult.Healthy($"Node {_registry.LocalNodeId} is registered ({_registry.Nodes.Count} live nodes; leader: {_leader.IsLeader}).", data)
            : HealthCheckResult.Degraded($"Node {_registry.LocalNodeId} cannot heartbeat to Redis: it claims no leadership and no gate ownership until it can; check-ins go on per node.", data: data));
    }
}
