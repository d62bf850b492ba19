namespace EventKit.Monitoring;

/// <summary>What one series (or several, merged) did over a window. Fields that do not apply to its kind are <see langword="null"/>.</summary>
/// <param name="Window">The window length asked for.</param>
/// <param name="CoveredSeconds">Seconds of the window this node has data for (shorter than the window just after start).</param>
/// <param name="Total">Counters: the increase over the window. Histograms: the number of values recorded.</param>
/// <param name="RatePerSecond">Counters and histograms: <see cref="Total"/> over <see cref="CoveredSeconds"/>.</param>
/// <param name="Last">Gauges: the latest value.</param>
/// <param name="Min">Gauges: the smallest value.</param>
/// <param name="Max">Gauges: the largest value; histograms: the largest value recorded (within the sketch's accuracy).</param>
/// <param name="Average">Gauges: the mean of the per-second values; histograms: the mean of the values recorded.</param>
/// <param name="P50">Histograms: the median, within 1 % relative error.</param>
/// <param name="P90">Histograms: the 90th percentile.</param>
/// <param name="P95">Histograms: the 95th percentile.</param>
/// <param name="P99">Histograms: the 99th percentile.</param>
public sealed record WindowStatistics(
    TimeSpan Window,
    int CoveredSeconds,
    double Total,
    double RatePerSecond,
    double? Last,
    double? Min,
    double? Max,
    double? Average,
    double? P50,
    double? P90,
    double? P95,
    double? P99);
