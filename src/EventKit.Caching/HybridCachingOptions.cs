using Microsoft.Extensions.Caching.Hybrid;

namespace EventKit.Caching;

/// <summary>Options of EventKit's <see cref="HybridCache"/>. Configure with <c>.AddHybridCaching(o =&gt; ...)</c>.</summary>
public sealed class HybridCachingOptions
{
    /// <summary>The value of the <c>cache.name</c> metric tag.</summary>
    /// <remarks>Default <c>eventkit</c>. 1 to 50 characters.</remarks>
    public string Name { get; set; } = "eventkit";

    /// <summary>How many entries the in-process L1 holds; every entry counts as 1.</summary>
    /// <remarks>
    /// Default 100,000. 100 to 50,000,000. Size it to the working set: for check-in, roughly
    /// participants × 2 (a credential entry and an id entry each) + gates + a few hundred; see docs/caching.md.
    /// When full, the least recently used 5 % are compacted away.
    /// </remarks>
    public long L1Capacity { get; set; } = 100_000;

    /// <summary>L2 (and overall) lifetime of an entry when the caller gives no <see cref="HybridCacheEntryOptions.Expiration"/>.</summary>
    /// <remarks>Default 5 min. 1 s to 30 days.</remarks>
    public TimeSpan DefaultExpiration { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>L1 lifetime when the caller gives no <see cref="HybridCacheEntryOptions.LocalCacheExpiration"/>; never longer than the L2 lifetime.</summary>
    /// <remarks>Default 5 min. 1 s to 30 days.</remarks>
    public TimeSpan DefaultLocalExpiration { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Whether the cache uses EventKit's Redis connection (<c>.AddRedis()</c>) as its L2 when one is configured.</summary>
    /// <remarks>Default <see langword="true"/>. Without a configured Redis connection the cache runs L1 only.</remarks>
    public bool UseRedis { get; set; } = true;

    /// <summary>The namespace of every Redis key and channel EventKit's own cache uses, so that one Redis can serve several events.</summary>
    /// <remarks>
    /// Default <c>eventkit:cache:</c>. 1 to 100 characters, no whitespace and none of <c>* ? [ ]</c>. Must not overlap
    /// (neither may start with the other) <see cref="ApplicationKeyPrefix"/>, the claims' <c>EventKit:Claims:KeyPrefix</c>
    /// or the Redis epoch key, so that <c>RemoveByPrefixAsync</c> can never reach them.
    /// </remarks>
    public string KeyPrefix { get; set; } = "eventkit:cache:";

    /// <summary>
    /// The namespace of the application's cache when <c>.RegisterAsHybridCache()</c> serves the application's
    /// <see cref="HybridCache"/> from EventKit: its Redis keys, tags and backplane channel, apart from EventKit's own.
    /// </summary>
    /// <remarks>Default <c>eventkit:app:</c>. Same rules as <see cref="KeyPrefix"/>, and must not overlap it.</remarks>
    public string ApplicationKeyPrefix { get; set; } = "eventkit:app:";

    /// <summary>How long one L2 call may take before the cache gives up on it and counts an L2 error.</summary>
    /// <remarks>Default 50 ms. 1 ms to 10 s.</remarks>
    public TimeSpan L2Timeout { get; set; } = TimeSpan.FromMilliseconds(50);

    /// <summary>Consecutive L2 errors that open the circuit.</summary>
    /// <remarks>Default 3. 1 to 1,000.</remarks>
    public int CircuitBreakerThreshold { get; set; } = 3;

    /// <summary>How long the circuit stays open (L2 skipped) before one call tries Redis again.</summary>
    /// <remarks>Default 5 s. 100 ms to 10 min.</remarks>
    public TimeSpan CircuitBreakDuration { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>When the factory fails, a value expired for at most this long is served instead of the error; 0 turns stale-on-error off.</summary>
    /// <remarks>Default 0 (off). 0 to 1 day.</remarks>
    public TimeSpan StaleOnErrorMaxStaleness { get; set; } = TimeSpan.Zero;

    /// <summary>A hit on an entry older than this fraction of its lifetime refreshes it in the background; 0 turns eager refresh off.</summary>
    /// <remarks>Default 0 (off). 0, or 0.1 to 0.99.</remarks>
    public double EagerRefreshFraction { get; set; }

    /// <summary>The largest serialized value stored in L2; larger values stay in L1 only and a warning is logged.</summary>
    /// <remarks>Default 1 MiB. 1 KiB to 64 MiB.</remarks>
    public int MaximumPayloadBytes { get; set; } = 1024 * 1024;

    /// <summary>How long a factory result of <see langword="null"/> ("not found") is cached; 0 caches it like any value.</summary>
    /// <remarks>Default 30 s. 0 to 1 h. Keeps floods of unknown credentials away from the database.</remarks>
    public TimeSpan NegativeExpiration { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Whether sets, removals and tag removals are published on a Redis channel so that other nodes evict their L1 copies.</summary>
    /// <remarks>Default <see langword="true"/>. Needs a Redis connection (<c>.AddRedis()</c>).</remarks>
    public bool EnableBackplane { get; set; } = true;

    /// <summary>The memory load (as the GC sees it, container limits included) above which L1 is compacted.</summary>
    /// <remarks>Default 0.80. 0.1 to 1.0 (1.0 turns it off).</remarks>
    public double MemoryCompactionThreshold { get; set; } = 0.80;

    /// <summary>How often memory load is checked.</summary>
    /// <remarks>Default 5 s. 100 ms to 10 min.</remarks>
    public TimeSpan MemoryCheckInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>L1 hits within one L1 lifetime that make a key hot; hot keys get <see cref="HotKeyLifetimeMultiplier"/> times the L1 lifetime (never beyond L2's); 0 turns detection off.</summary>
    /// <remarks>Default 100. 0 to 1,000,000.</remarks>
    public int HotKeyThreshold { get; set; } = 100;

    /// <summary>How much longer hot keys live in L1.</summary>
    /// <remarks>Default 3. 1 to 100.</remarks>
    public double HotKeyLifetimeMultiplier { get; set; } = 3;

    /// <summary>The most hot keys remembered (bounds the detector's memory).</summary>
    /// <remarks>Default 10,000. 1 to 1,000,000.</remarks>
    public int HotKeyCapacity { get; set; } = 10_000;

    /// <summary>How often cache warmers run again after the start; <see langword="null"/> runs them once at start.</summary>
    /// <remarks>Default <see langword="null"/>. 1 s to 1 day when set.</remarks>
    public TimeSpan? WarmingInterval { get; set; }

    /// <summary>
    /// Whether the start-up participant warmer also loads every active participant into L2 (Redis) when it is cold, so
    /// that the first scan of any attendee on any node is a cache hit rather than a database query. One node does it
    /// per participant lifetime (claimed with an L2 key set only if absent); the others find L2 warm. Values are
    /// written as misses write them: no backplane message, no other node's L1 evicted.
    /// </summary>
    /// <remarks>Default <see langword="true"/>. Costs one Redis write per active participant at the claiming node's start.</remarks>
    public bool WarmParticipantsIntoL2 { get; set; } = true;

    /// <summary>Lifetimes per kind of data, with the seed's defaults.</summary>
    public CachePolicies Policies { get; } = new();

    /// <summary>These options for the application's instance: its own key namespace and metric name.</summary>
    internal HybridCachingOptions ForApplication()
    {
        var copy = (HybridCachingOptions)MemberwiseClone();
        copy.KeyPrefix = ApplicationKeyPrefix;
        copy.Name = Name + "-app";
        return copy;
    }
}
