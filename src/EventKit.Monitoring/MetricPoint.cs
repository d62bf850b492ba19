namespace EventKit.Monitoring;

/// <summary>One second of a chart: when, and the value (<see langword="null"/> when nothing was measured that second).</summary>
/// <param name="UnixSeconds">The second, as Unix time.</param>
/// <param name="Value">The value.</param>
public readonly record struct MetricPoint(long UnixSeconds, double? Value);
