namespace EventKit.Monitoring;

/// <summary>This node's live metric windows: 1 s buckets kept for 15 minutes, read as 1/5/15-minute views.</summary>
public interface IMetricsMonitor
{
    /// <summary>Every series with its 1, 5 and 15-minute statistics.</summary>
    /// <returns>The snapshot.</returns>
    MetricsSnapshot GetSnapshot();

    /// <summary>The statistics of every series of <paramref name="instrument"/> whose tags include <paramref name="tags"/>, merged.</summary>
    /// <param name="instrument">The instrument name.</param>
    /// <param name="tags">Tags a series must carry (<see langword="null"/>: all series of the instrument).</param>
    /// <param name="window">The window, 1 s to 15 min.</param>
    /// <returns>The statistics, or <see langword="null"/> when no series matches.</returns>
    WindowStatistics? GetStatistics(string instrument, IReadOnlyDictionary<string, string>? tags, TimeSpan window);

    /// <summary>A quantile of every series of <paramref name="instrument"/> whose tags include <paramref name="tags"/>, merged (histograms only).</summary>
    /// <param name="instrument">The instrument name.</param>
    /// <param name="tags">Tags a series must carry (<see langword="null"/>: all).</param>
    /// <param name="window">The window, 1 s to 15 min.</param>
    /// <param name="quantile">0 to 1.</param>
    /// <returns>The value within 1 % relative error, or <see langword="null"/> when nothing was recorded.</returns>
    double? GetQuantile(string instrument, IReadOnlyDictionary<string, string>? tags, TimeSpan window, double quantile);

    /// <summary>One point per second over <paramref name="window"/> for the merged matching series (for charts).</summary>
    /// <param name="instrument">The instrument name.</param>
    /// <param name="tags">Tags a series must carry (<see langword="null"/>: all).</param>
    /// <param name="value">What each point shows.</param>
    /// <param name="window">The window, 1 s to 15 min.</param>
    /// <returns>The points, oldest first.</returns>
    IReadOnlyList<MetricPoint> GetPoints(string instrument, IReadOnlyDictionary<string, string>? tags, MetricPointValue value, TimeSpan window);
}
