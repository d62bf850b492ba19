namespace EventKit.Monitoring;

/// <summary>Every series this node monitors, at one moment.</summary>
/// <param name="At">When the snapshot was taken.</param>
/// <param name="Series">The series, ordered by instrument and tags.</param>
public sealed record MetricsSnapshot(DateTimeOffset At, IReadOnlyList<MetricSeriesSnapshot> Series);
