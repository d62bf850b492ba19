namespace EventKit.Caching;

/// <summary>Gives a snapshot of the cache's counters since start (for Monitoring, dashboards and reports).</summary>
public interface IHybridCacheStatistics
{
    /// <summary>Takes a snapshot; cheap enough to call every second.</summary>
    HybridCacheStatistics GetSnapshot();
}
