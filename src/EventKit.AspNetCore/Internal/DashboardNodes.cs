namespace EventKit.AspNetCore.Internal;

/// <summary>The node list: the cluster's live nodes when EventKit.Scaling is registered, else the single-node state.</summary>
/// <param name="Scaling">Whether EventKit.Scaling's node registry is registered; when not, this host is a single node.</param>
/// <param name="LocalNodeId">This node's id (scaling only).</param>
/// <param name="Registered">Whether this node's last heartbeat reached Redis (scaling only).</param>
/// <param name="Nodes">The live nodes at the last refresh, ordered by id (empty without scaling).</param>
internal sealed record DashboardNodes(bool Scaling, string? LocalNodeId, bool Registered, IReadOnlyList<DashboardNode> Nodes);
