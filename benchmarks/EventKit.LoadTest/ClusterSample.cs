namespace EventKit.LoadTest;

/// <summary>
/// One answer of <c>GET /eventkit/scaling</c> from one node: whether it leads, the live nodes it lists, and the leader's
/// latest recommendation (current, desired, reason, when it was evaluated) with the nodes' average in-flight and CPU.
/// </summary>
internal sealed record ClusterSample(
    long Timestamp,
    string NodeId,
    bool Leader,
    string[] LiveNodes,
    int? Current,
    int? Desired,
    string? Reason,
    DateTimeOffset? EvaluatedAt,
    double InFlightPerNode,
    double CpuPerNode);
