namespace EventKit.Scaling;

/// <summary>One metric's part of a recommendation.</summary>
/// <param name="Metric">The metric: <c>cpu</c>, <c>p95</c>, <c>in_flight</c> or <c>writer_backlog</c>.</param>
/// <param name="Value">Its current value.</param>
/// <param name="Target">Its target (0 when the metric is off).</param>
/// <param name="ProposedReplicas">ceil(current × value / target), or the current count when within the tolerance.</param>
/// <param name="Reason">Why, in words.</param>
public sealed record ScalingMetricResult(string Metric, double Value, double Target, int ProposedReplicas, string Reason);
