namespace EventKit.Caching;

/// <summary>Hits and misses of the keys sharing one prefix.</summary>
/// <param name="Hits">Requests answered by L1 or L2.</param>
/// <param name="Misses">Requests that ran (or waited for) the factory.</param>
public sealed record PrefixStatistics(long Hits, long Misses)
{
    /// <summary>Hits over requests; 0 when there were none.</summary>
    public double HitRatio => HybridCacheStatistics.Ratio(Hits, Hits + Misses);
}
