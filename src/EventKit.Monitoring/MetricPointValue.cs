namespace EventKit.Monitoring;

/// <summary>What a chart point shows for its second.</summary>
public enum MetricPointValue
{
    /// <summary>Counters: the increase in that second; histograms: the number of values; gauges: the value.</summary>
    Value,

    /// <summary>Histograms: the median of that second.</summary>
    P50,

    /// <summary>Histograms: the 95th percentile of that second.</summary>
    P95,

    /// <summary>Histograms: the 99th percentile of that second.</summary>
    P99,
}
