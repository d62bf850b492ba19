using Microsoft.Extensions.Caching.Hybrid;

namespace EventKit.Caching;

/// <summary>The lifetimes of one kind of data.</summary>
public sealed class CachePolicy
{
    /// <summary>A policy with a 5-minute lifetime (used by configuration binding).</summary>
    public CachePolicy()
        : this(TimeSpan.FromMinutes(5))
    {
    }

    internal CachePolicy(TimeSpan expiration)
    {
        Expiration = expiration;
    }

    /// <summary>Overall (L2) lifetime. 1 s to 30 days.</summary>
    public TimeSpan Expiration { get; set; }

    /// <summary>L1 lifetime; <see langword="null"/> means the same as <see cref="Expiration"/>. Must not exceed it.</summary>
    public TimeSpan? LocalExpiration { get; set; }

    /// <summary>These lifetimes as entry options for <see cref="HybridCache"/> calls.</summary>
    public HybridCacheEntryOptions ToEntryOptions() => new()
    {
        Expiration = Expiration,
        LocalCacheExpiration = LocalExpiration ?? Expiration,
    };
}
