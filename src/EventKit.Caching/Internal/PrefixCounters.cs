namespace EventKit.Caching.Internal;

/// <summary>Hits and misses of one key prefix; L1 entries keep a reference so a hit needs no lookup.</summary>
internal sealed class PrefixCounters
{
    public long Hits;
    public long Misses;
}
