namespace EventKit.Scaling;

/// <summary>What a node reports about its load in each heartbeat.</summary>
/// <param name="CpuUtilization">The process's CPU utilisation over the last interval, 0..1 of the machine.</param>
/// <param name="Load">In-flight and p95 per request type (keys from <see cref="RequestTypes"/>).</param>
/// <param name="WriterBacklog">Check-ins accepted and not yet durable.</param>
public sealed record NodeLoad(double CpuUtilization, IReadOnlyDictionary<string, RequestTypeLoad> Load, long WriterBacklog);
