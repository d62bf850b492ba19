using Microsoft.AspNetCore.Http;
using Yarp.ReverseProxy.LoadBalancing;
using Yarp.ReverseProxy.Model;

namespace EventKit.Scaling.Yarp;

/// <summary>
/// YARP load balancing per EventKit request type (<see cref="RequestTypes.Classify"/>), over destinations whose ids
/// are node ids (as <see cref="EventKitProxyConfigProvider"/> registers them):
/// <list type="bullet">
/// <item>check-ins, reads and management: power of two choices, the cheaper of two random nodes by
/// (requests in flight + 1) × p95 of that request type; random pairs keep stale figures from herding every request
/// onto the node that looked idlest a second ago;</item>
/// <item>check-ins on <c>POST /api/v1/gates/{gateId}/checkins</c>: the gate's owner, by the same rendezvous hash the
/// nodes use for gate ownership (so they reach the node that decides the gate with the gate-owned fast path);</item>
/// <item>BLE gateway reports: always the same node per gateway (rendezvous hashing over the live nodes), so that one
/// node sees all of a gateway's sightings; a membership change moves about 1/N of the gateways;</item>
/// <item>draining nodes are skipped while any other is available; YARP's active and passive health checks remove
/// unhealthy ones before this policy runs.</item>
/// </list>
/// </summary>
public sealed class EventKitLoadBalancingPolicy : ILoadBalancingPolicy
{
    /// <summary>The policy's name in YARP's cluster configuration (<c>LoadBalancingPolicy</c>).</summary>
    public const string PolicyName = "EventKit";

    private readonly INodeRegistry _registry;

    /// <summary>Creates the policy.</summary>
    /// <param name="registry">The node registry (a watcher: <c>.AddScaling(o =&gt; o.ObserveOnly = true)</c>).</param>
    public EventKitLoadBalancingPolicy(INodeRegistry registry)
    {
        ArgumentNullException.ThrowIfNull(registry);
        _registry = registry;
    }

    /// <inheritdoc/>
    public string Name => PolicyName;

    /// <inheritdoc/>
    public DestinationState? PickDestination(HttpContext context, ClusterState cluster, IReadOnlyList<DestinationState> availableDestinations)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(availableDestinations);
        if (availableDestinations.Count <= 1)
        {
            return availableDestinations.Count == 0 ? null : availableDestinations[0];
        }

        var nodes = Index(_registry.Nodes);
        var candidates = NotDraining(availableDestinations, nodes);
        var path = context.Request.Path.Value ?? string.Empty;
        var type = RequestTypes.Classify(context.Request.Method, path);
        if (type == RequestTypes.GatewayReport && RequestTypes.TryGetGatewayId(path, out var gatewayId))
        {
            return OwnerOf(gatewayId, candidates);
        }

        if (type == RequestTypes.CheckIn && RequestTypes.TryGetCheckInGateId(path, out var gateId))
        {
            // The gate's owner by the nodes' own rendezvous hash (IGateOwnership): with the gate-owned fast path it decides
            // in memory; any other node would only pass the check-in on to it.
            return OwnerOf(gateId, candidates);
        }

        return candidates.Count == 1 ? candidates[0] : PowerOfTwo(candidates, nodes, type);
    }

    private static Dictionary<string, NodeInfo> Index(IReadOnlyList<NodeInfo> nodes)
    {
        var index = new Dictionary<string, NodeInfo>(nodes.Count, StringComparer.Ordinal);
        foreach (var node in nodes)
        {
            index[node.NodeId] = node;
        }

        return index;
    }

    private static IReadOnlyList<DestinationState> NotDraining(IReadOnlyList<DestinationState> destinations, Dictionary<string, NodeInfo> nodes)
    {
        List<DestinationState>? kept = null;
        for (var i = 0; i < destinations.Count; i++)
        {
            var draining = nodes.TryGetValue(destinations[i].DestinationId, out var node) && node.Draining;
            if (draining && kept is null)
            {
                kept = [.. destinations.Take(i)];
            }
            else if (!draining)
            {
                kept?.Add(destinations[i]);
            }
        }

        // Every node draining: serve anyway rather than fail.
        return kept is null ? destinations : kept.Count == 0 ? destinations : kept;
    }

    private static DestinationState OwnerOf(long gatewayId, IReadOnlyList<DestinationState> candidates)
    {
        DestinationState best = candidates[0];
        var bestWeight = RendezvousHash.Weight(best.DestinationId, gatewayId);
        for (var i = 1; i < candidates.Count; i++)
        {
            var weight = RendezvousHash.Weight(candidates[i].DestinationId, gatewayId);
            if (weight > bestWeight || (weight == bestWeight && string.CompareOrdinal(candidates[i].DestinationId, best.DestinationId) < 0))
            {
                best = candidates[i];
                bestWeight = weight;
            }
        }

        return best;
    }

    private static DestinationState PowerOfTwo(IReadOnlyList<DestinationState> candidates, Dictionary<string, NodeInfo> nodes, string type)
    {
        var first = Random.Shared.Next(candidates.Count);
        var second = Random.Shared.Next(candidates.Count - 1);
        if (second >= first)
        {
            second++;
        }

        var a = candidates[first];
        var b = candidates[second];
        return Cost(b, nodes, type) < Cost(a, nodes, type) ? b : a;
    }

    /// <summary>
    /// (in flight + 1) × p95: this proxy's live count of its own requests to the node, or the node's own heartbeated
    /// count (which includes other proxies' requests) when that is higher; the p95 of the request type as the node last
    /// reported it, at least 1 ms.
    /// </summary>
    private static double Cost(DestinationState destination, Dictionary<string, NodeInfo> nodes, string type)
    {
        var inFlight = destination.ConcurrentRequestCount;
        var p95 = 1.0;
        if (nodes.TryGetValue(destination.DestinationId, out var node) && node.Load.TryGetValue(type, out var load))
        {
            inFlight = Math.Max(inFlight, load.InFlight);
            p95 = Math.Max(1.0, load.P95Milliseconds);
        }

        return (inFlight + 1) * p95;
    }
}
