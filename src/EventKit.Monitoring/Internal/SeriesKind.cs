namespace EventKit.Monitoring.Internal;

/// <summary>How a series aggregates: counters sum per second, gauges keep a value per second, histograms keep a sketch per second.</summary>
internal enum SeriesKind
{
    Counter,
    Gauge,
    Histogram,
}
