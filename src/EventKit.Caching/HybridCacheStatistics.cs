namespace EventKit.Caching;

/// <summary>The cache's counters since start.</summary>
/// <param name="L1Hits">Requests answered by L1.</param>
/// <param name="L1Misses">Requests L1 could not answer.</param>
/// <param name="L2Hits">L1 misses answered by L2.</param>
/// <param name="L2Misses">L1 misses L2 could not answer (absent, expired, invalidated, or L2 unavailable).</param>
/// <param name="FactoryCalls">Factory executions (after stampede protection).</param>
/// <param name="L2Errors">L2 calls that failed or timed out.</param>
/// <param name="IsCircuitOpen">Whether L2 is being skipped right now.</param>
/// <param name="L1Entries">Entries in L1 now.</param>
/// <param name="Evictions">L1 entries evicted for capacity, expiry or memory pressure.</param>
/// <param name="BackplaneSent">Backplane messages published.</param>
/// <param name="BackplaneReceived">Backplane messages received from other nodes.</param>
/// <param name="ByPrefix">Hits and misses per key prefix (the key up to its first <c>:</c>).</param>
public sealed record HybridCacheStatistics(
    long L1Hits,
    long L1Misses,
    long L2Hits,
    long L2Misses,
    long FactoryCalls,
    long L2Errors,
    bool IsCircuitOpen,
    long L1Entries,
    long Evictions,
    long BackplaneSent,
    long BackplaneReceived,
    IReadOnlyDictionary<string, PrefixStatistics> ByPrefix)
{
    /// <summary>L1 hits over all requests; 0 when there were none.</summary>
    public double L1HitRatio => Ratio(L1Hits, L1Hits + L1Misses);

    /// <summary>L2 hits over L2 lookups (L1 misses); 0 when there were none.</summary>
    public double L2HitRatio => Ratio(L2Hits, L2Hits + L2Misses);

    /// <summary>Requests answered without running the factory (L1 or L2 hits) over all requests; 0 when there were none.</summary>
    public double OverallHitRatio => Ratio(L1Hits + L2Hits, L1Hits + L1Misses);

    internal static double Ratio(long part, long whole) => whole == 0 ? 0 : (double)part / whole;
}
