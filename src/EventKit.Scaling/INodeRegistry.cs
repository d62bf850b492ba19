namespace EventKit.Scaling;

/// <summary>
/// The cluster's live nodes, kept in Redis: each node heartbeats an entry with a time to live of two heartbeat
/// intervals, and reads the list every interval. Resolve it after <c>.AddScaling()</c>.
/// </summary>
public interface INodeRegistry
{
    /// <summary>This node's id.</summary>
    string LocalNodeId { get; }

    /// <summary>The live nodes at the last refresh, ordered by id (this node included while its heartbeats reach Redis).</summary>
    IReadOnlyList<NodeInfo> Nodes { get; }

    /// <summary>Whether this node's last heartbeat reached Redis within its time to live; when not, it claims no ownership.</summary>
    bool IsRegistered { get; }

    /// <summary>Whether this node is draining: it heartbeats the flag so that balancers stop sending new work.</summary>
    bool Draining { get; set; }

    /// <summary>Raised when a node appears in the list. Handlers run on the heartbeat thread and must not block.</summary>
    event EventHandler<NodeEventArgs>? NodeJoined;

    /// <summary>Raised when a node leaves the list (stopped, or its heartbeats stopped). Handlers must not block.</summary>
    event EventHandler<NodeEventArgs>? NodeLeft;

    /// <summary>Heartbeats and refreshes the list now (the background loop does it every interval).</summary>
    /// <param name="cancellationToken">Cancels the wait.</param>
    /// <returns>A task that completes when done; Redis errors are reported through <see cref="IsRegistered"/>, not thrown.</returns>
    Task HeartbeatAsync(CancellationToken cancellationToken = default);
}
