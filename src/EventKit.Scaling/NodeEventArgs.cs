namespace EventKit.Scaling;

/// <summary>A node joined or left the registry.</summary>
/// <param name="node">The node (for a departure, as last seen).</param>
public sealed class NodeEventArgs(NodeInfo node) : EventArgs
{
    /// <summary>The node.</summary>
    public NodeInfo Node { get; } = node;
}
