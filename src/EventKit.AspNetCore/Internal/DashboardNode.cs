namespace EventKit.AspNetCore.Internal;

/// <summary>One live node as its last heartbeat described it.</summary>
/// <param name="NodeId">Its id.</param>
/// <param name="Url">Its advertised URL, or <see langword="null"/>.</param>
/// <param name="Local">Whether it is the node serving this page.</param>
/// <param name="Draining">Whether it takes no new work.</param>
/// <param name="StartedAt">When it started.</param>
/// <param name="HeartbeatAt">Its last heartbeat (its own clock).</param>
/// <param name="Cpu">Its CPU utilisation, 0..1.</param>
/// <param name="WriterBacklog">Its check-in writer backlog.</param>
internal sealed record DashboardNode(string NodeId, string? Url, bool Local, bool Draining, DateTimeOffset StartedAt, DateTimeOffset HeartbeatAt, double Cpu, long WriterBacklog);
