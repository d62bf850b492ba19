namespace EventKit.Benchmarks.Caching.Peers;

/// <summary>The caches compared side by side.</summary>
public enum PeerKind
{
    /// <summary>EventKit.Caching (L1 MemoryCache, Redis L2, Redis pub/sub backplane).</summary>
    EventKit,

    /// <summary>Microsoft.Extensions.Caching.Hybrid 10.11.0 with Microsoft.Extensions.Caching.StackExchangeRedis 10.0.14 (no backplane).</summary>
    Microsoft,

    /// <summary>ZiggyCreatures.FusionCache 2.9.0: memory + RedisCache as distributed cache + its StackExchange.Redis backplane.</summary>
    FusionCache,
}
