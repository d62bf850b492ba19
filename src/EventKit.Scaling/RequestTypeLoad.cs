namespace EventKit.Scaling;

/// <summary>A node's recent load for one request type.</summary>
/// <param name="InFlight">Requests of this type in flight now.</param>
/// <param name="P95Milliseconds">Their recent p95 response time, in milliseconds.</param>
public sealed record RequestTypeLoad(int InFlight, double P95Milliseconds);
