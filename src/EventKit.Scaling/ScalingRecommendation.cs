namespace EventKit.Scaling;

/// <summary>The outcome of one evaluation of the autoscaling recommender.</summary>
/// <param name="EvaluatedAt">When it was computed.</param>
/// <param name="CurrentReplicas">The replica count it started from.</param>
/// <param name="DesiredReplicas">The replica count it recommends, after stabilisation, rate limits and the min/max clamp.</param>
/// <param name="RawReplicas">The highest proposal over the metrics, before stabilisation, limits and clamp.</param>
/// <param name="Metrics">Each metric's proposal and reason.</param>
/// <param name="Reason">What decided the outcome (tolerance, stabilisation window, rate limit, clamp).</param>
public sealed record ScalingRecommendation(
    DateTimeOffset EvaluatedAt,
    int CurrentReplicas,
    int DesiredReplicas,
    int RawReplicas,
    IReadOnlyList<ScalingMetricResult> Metrics,
    string Reason);
