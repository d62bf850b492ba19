using EventKit.Caching.Internal;
using EventKit.Redis;
using EventKit.Testing;
using Microsoft.Extensions.Caching.Hybrid;
using Microsoft.Extensions.DependencyInjection;

namespace EventKit.Caching.Tests.Conformance;

/// <summary>The conformance suite against EventKit's cache (<c>.AddHybridCaching().RegisterAsHybridCache()</c>) with its Redis L2 and backplane.</summary>
public sealed class EventKitHybridCacheConformanceTests(RedisFixture redis) : HybridCacheConformanceTests(redis), IClassFixture<RedisFixture>
{
    protected override CacheImplementation Implementation => CacheImplementation.EventKit;

    protected override void AddCache(IServiceCollection services) =>
        services.AddEventKit(o => o.EventId = 1)
            .AddRedis(o => o.Configuration = Redis.Configuration)
            .AddHybridCaching(o =>
            {
                // The suite tests the application's HybridCache: its namespace is ApplicationKeyPrefix.
                o.ApplicationKeyPrefix = Scope;
                o.KeyPrefix = Scope.TrimEnd(':') + "-eventkit:";

                // The shared test machine is slow at times; the default 50 ms budget would turn reads into misses.
                o.L2Timeout = TimeSpan.FromSeconds(2);
            })
            .RegisterAsHybridCache();

    // A host connects EventKit's Redis connection at start; these tests build a provider without a host.
    protected override void Started(IServiceProvider provider) =>
        provider.GetRequiredService<IRedisConnection>().ConnectAsync().GetAwaiter().GetResult();

    protected override async Task<byte[]?> ReadRawAsync(string key) =>
        await Redis.Connection.GetDatabase().StringGetAsync(Scope + key);

    [Fact]
    public async Task RegisterAsHybridCache_wins_whether_AddHybridCache_comes_before_or_after_it()
    {
        var key = $"order:{Guid.NewGuid():N}";
        var before = new ServiceCollection();
        before.AddHybridCache().AddSerializer(new WidgetSerializer("before"));
        AddCache(before);
        var after = new ServiceCollection();
        AddCache(after);
        after.AddHybridCache().AddSerializer(new WidgetSerializer("after"));
        using var first = before.BuildServiceProvider();
        using var second = after.BuildServiceProvider();
        Started(first);
        Started(second);
        var cacheBefore = first.GetRequiredService<HybridCache>();
        var cacheAfter = second.GetRequiredService<HybridCache>();

        await cacheBefore.SetAsync(key, new Widget("w"));

        Assert.IsType<DefaultHybridCache>(cacheBefore);
        Assert.IsType<DefaultHybridCache>(cacheAfter);
        Assert.Equal(new Widget("w", "after"), await cacheAfter.GetOrCreateAsync(key, _ => ValueTask.FromResult(new Widget("none"))));
    }
}
