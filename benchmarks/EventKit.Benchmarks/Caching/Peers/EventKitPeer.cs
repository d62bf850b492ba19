using EventKit.Redis;
using Microsoft.Extensions.Caching.Hybrid;
using Microsoft.Extensions.DependencyInjection;

namespace EventKit.Benchmarks.Caching.Peers;

/// <summary>EventKit's cache as a host registers it (<c>.AddRedis()</c> + <c>.AddHybridCaching()</c>): Redis L2 and backplane.</summary>
internal sealed class EventKitPeer : CachePeer
{
    private static readonly HybridCacheEntryOptions Normal = new() { Expiration = Expiration, LocalCacheExpiration = Expiration };
    private static readonly HybridCacheEntryOptions SkipL1 = new() { Expiration = Expiration, LocalCacheExpiration = Expiration, Flags = HybridCacheEntryFlags.DisableLocalCache };
    private readonly ServiceProvider _services;
    private readonly HybridCache _cache;

    public EventKitPeer(string redis, string prefix, TimeSpan? l2Timeout)
    {
        var services = new ServiceCollection();
        services.AddEventKit()
            .AddRedis(o => o.Configuration = redis)
            .AddHybridCaching(o =>
            {
                o.KeyPrefix = prefix;
                o.L1Capacity = 1_000_000;
                o.L2Timeout = l2Timeout ?? o.L2Timeout;
            });
        _services = services.BuildServiceProvider();

        // What the host does at start.
        _services.GetRequiredService<IRedisConnection>().ConnectAsync().GetAwaiter().GetResult();
        _cache = _services.GetRequiredKeyedService<HybridCache>(EventKitServiceKeys.Cache);
    }

    public override ValueTask<Participant> GetAsync(string key, bool skipL1 = false) =>
        _cache.GetOrCreateAsync(key, this, static (self, _) => ValueTask.FromResult(self.RunFactory()), skipL1 ? SkipL1 : Normal);

    public override ValueTask<Participant> GetAsync(string key, Func<CancellationToken, ValueTask<Participant>> factory) =>
        _cache.GetOrCreateAsync(key, factory, Normal);

    public override ValueTask SetAsync(string key, Participant value) => _cache.SetAsync(key, value, Normal);

    public override void Dispose() => _services.Dispose();
}
