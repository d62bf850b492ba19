namespace EventKit.Scaling;

/// <summary>A live node as its last heartbeat described it.</summary>
/// <param name="NodeId">Its id.</param>
/// <param name="Url">Its advertised URL, or <see langword="null"/>.</param>
/// <param name="Version">The version of EventKit.Scaling it runs.</param>
/// <param name="StartedAt">When it started.</param>
/// <param name="HeartbeatAt">When it wrote this heartbeat (its own clock).</param>
/// <param name="CpuUtilization">Its CPU utilisation, 0..1.</param>
/// <param name="Load">In-flight and p95 per request type.</param>
/// <param name="WriterBacklog">Its check-in writer backlog.</param>
/// <param name="Draining">Whether it is draining (takes no new work).</param>
public sealed record NodeInfo(
    string NodeId,
    string? Url,
    string Version,
    DateTimeOffset StartedAt,
    DateTimeOffset HeartbeatAt,
    double CpuUtilization,
    IReadOnlyDictionary<string, RequestTypeLoad> Load,
    long WriterBacklog,
    bool Draining);
