using Microsoft.Extensions.Caching.Hybrid;
using Microsoft.Extensions.DependencyInjection;

namespace EventKit.Benchmarks.Caching.Peers;

/// <summary>Microsoft's HybridCache (<c>AddHybridCache()</c>) with <c>AddStackExchangeRedisCache</c> as L2, defaults otherwise.</summary>
internal sealed class MicrosoftPeer : CachePeer
{
    private static readonly HybridCacheEntryOptions Normal = new() { Expiration = Expiration, LocalCacheExpiration = Expiration };
    private static readonly HybridCacheEntryOptions SkipL1 = new() { Expiration = Expiration, LocalCacheExpiration = Expiration, Flags = HybridCacheEntryFlags.DisableLocalCache };
    private readonly ServiceProvider _services;
    private readonly HybridCache _cache;

    public MicrosoftPeer(string redis, string prefix)
    {
        var services = new ServiceCollection();
        services.AddHybridCache();
        services.AddStackExchangeRedisCache(o =>
        {
            o.Configuration = redis;
            o.InstanceName = prefix;
        });
        _services = services.BuildServiceProvider();
        _cache = _services.GetRequiredService<HybridCache>();
    }

    public override ValueTask<Participant> GetAsync(string key, bool skipL1 = false) =>
        _cache.GetOrCreateAsync(key, this, static (self, _) => ValueTask.FromResult(self.RunFactory()), skipL1 ? SkipL1 : Normal);

    public override ValueTask<Participant> GetAsync(string key, Func<CancellationToken, ValueTask<Participant>> factory) =>
        _cache.GetOrCreateAsync(key, factory, Normal);

    public override ValueTask SetAsync(string key, Participant value) => _cache.SetAsync(key, value, Normal);

    public override void Dispose() => _services.Dispose();
}
