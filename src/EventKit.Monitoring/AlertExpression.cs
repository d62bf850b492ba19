namespace EventKit.Monitoring;

/// <summary>What an alert rule computes over its window (Prometheus' functions, on this node's windows).</summary>
public enum AlertExpression
{
    /// <summary>Per-second rate of a counter (or of a histogram's count), like <c>rate(x[5m])</c>.</summary>
    Rate,

    /// <summary>Increase of a counter (or a histogram's count) over the window, like <c>increase(x[5m])</c>.</summary>
    Increase,

    /// <summary>Counts matching <see cref="AlertRuleOptions.NumeratorTags"/> over counts matching <see cref="AlertRuleOptions.Tags"/> (error ratio, hit ratio).</summary>
    Ratio,

    /// <summary>A histogram quantile (<see cref="AlertRuleOptions.Quantile"/>) over the window, like <c>histogram_quantile</c>.</summary>
    Quantile,

    /// <summary>A histogram's mean over the window.</summary>
    Mean,

    /// <summary>A gauge's maximum over the window (its latest value when the window is one second).</summary>
    Gauge,

    /// <summary>A gauge's minimum over the window.</summary>
    GaugeMin,
}
