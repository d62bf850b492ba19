using Microsoft.Extensions.Caching.StackExchangeRedis;
using Microsoft.Extensions.Options;
using ZiggyCreatures.Caching.Fusion;
using ZiggyCreatures.Caching.Fusion.Backplane.StackExchangeRedis;
using ZiggyCreatures.Caching.Fusion.Serialization.SystemTextJson;

namespace EventKit.Benchmarks.Caching.Peers;

/// <summary>FusionCache: memory + Microsoft's RedisCache as distributed cache (System.Text.Json) + its Redis backplane, defaults otherwise.</summary>
internal sealed class FusionCachePeer : CachePeer
{
    private static readonly FusionCacheEntryOptions Normal = new() { Duration = Expiration };
    private static readonly FusionCacheEntryOptions SkipL1 = new() { Duration = Expiration, SkipMemoryCacheRead = true, SkipMemoryCacheWrite = true };
    private readonly FusionCache _cache;
    private readonly Func<FusionCacheFactoryExecutionContext<Participant>, CancellationToken, Task<Participant>> _factory;

    public FusionCachePeer(string redis, string prefix)
    {
        _cache = new FusionCache(Options.Create(new FusionCacheOptions
        {
            CacheName = "peers",
            BackplaneChannelPrefix = prefix,
            DefaultEntryOptions = Normal.Duplicate(),
        }));
        _cache.SetupDistributedCache(new RedisCache(new RedisCacheOptions { Configuration = redis, InstanceName = prefix }), new FusionCacheSystemTextJsonSerializer());
        _cache.SetupBackplane(new RedisBackplane(new RedisBackplaneOptions { Configuration = redis }));
        _factory = (_, _) => Task.FromResult(RunFactory());
    }

    public override ValueTask<Participant> GetAsync(string key, bool skipL1 = false) =>
        _cache.GetOrSetAsync(key, _factory, default, skipL1 ? SkipL1 : Normal);

    public override ValueTask<Participant> GetAsync(string key, Func<CancellationToken, ValueTask<Participant>> factory) =>
        _cache.GetOrSetAsync<Participant>(key, (_, token) => factory(token).AsTask(), default, Normal);

    public override ValueTask SetAsync(string key, Participant value) => _cache.SetAsync(key, value, Normal);

    public override void Dispose() => _cache.Dispose();
}
