namespace EventKit.Scaling;

/// <summary>What the recommender sees at one evaluation: the replica count and the cluster-wide load metrics.</summary>
/// <param name="CurrentReplicas">The number of nodes running now (live nodes in the registry).</param>
/// <param name="CpuUtilization">Average CPU utilisation of the nodes, 0..1.</param>
/// <param name="P95Milliseconds">The highest p95 response time of check-ins and reads over the nodes, in milliseconds.</param>
/// <param name="InFlightPerNode">Average requests in flight per node.</param>
/// <param name="WriterBacklogPerNode">Average check-in writer backlog per node.</param>
public sealed record ScalingInputs(int CurrentReplicas, double CpuUtilization, double P95Milliseconds, double InFlightPerNode, double WriterBacklogPerNode);
