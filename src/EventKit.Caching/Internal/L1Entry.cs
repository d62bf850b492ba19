// One file on purpose: the untyped base and its one typed subclass are a single concept (L1 holds the base).
namespace EventKit.Caching.Internal;

/// <summary>What L1 stores for a key: the deserialized value plus what tag checks, expiry and hot-key detection need.</summary>
internal abstract class L1Entry
{
    /// <summary>Creation stamp (ticks, strictly increasing per process), compared with tag invalidation stamps.</summary>
    public long CreatedStamp { get; init; }

    /// <summary>Logical L1 expiry in Unix ms; the MemoryCache entry may live longer to serve stale-on-error.</summary>
    public long ExpiresAtMs { get; init; }

    /// <summary>Unix ms after which a hit starts an eager refresh (<see cref="long.MaxValue"/> when off).</summary>
    public long RefreshAtMs { get; init; }

    public required string[] Tags { get; init; }

    public required PrefixCounters Prefix { get; init; }

    /// <summary>The tag epoch at which the entry was last found valid: tag checks are skipped while it is current.</summary>
    public int ValidatedEpoch;

    /// <summary>Hits in this lifetime (approximate under races; only feeds the hot-key heuristic).</summary>
    public int Hits;

    /// <summary>1 once an eager refresh has started for this entry.</summary>
    public int Refreshing;
}

internal sealed class L1Entry<T> : L1Entry
{
    public required T Value { get; init; }
}
