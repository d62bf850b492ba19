using EventKit.Caching.Internal;
using EventKit.Testing;

namespace EventKit.Caching.Tests.Internal;

/// <summary>Redis stopped mid-test (a private redis-server process is killed): calls keep succeeding, and the cache recovers when Redis is back.</summary>
public sealed class DefaultHybridCacheFailSafeTests : IAsyncLifetime
{
    private DedicatedRedisServer _server = null!;

    public async Task InitializeAsync() => _server = await DedicatedRedisServer.StartNewAsync();

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task Calls_keep_succeeding_while_Redis_is_down_and_L2_is_used_again_after_it_returns()
    {
        using var a = Node();
        using var b = Node();
        await a.SetAsync("before", "cached");
        await a.SetAsync("tagged", "cached", tags: ["some-tag"]);
        await a.SetAsync("overwritten", "old");
        Assert.Equal("cached", await a.GetOrCreateAsync("before", _ => ValueTask.FromResult("factory")));
        Assert.Equal("cached", await b.GetOrCreateAsync("tagged", _ => ValueTask.FromResult("factory")));

        await _server.StopAsync();

        // L1 still answers, new keys fall back to the factory, sets and removes do not throw.
        Assert.Equal("cached", await a.GetOrCreateAsync("before", _ => ValueTask.FromResult("factory")));
        for (var i = 0; i < 20; i++)
        {
            Assert.Equal($"v{i}", await a.GetOrCreateAsync($"during-{i}", _ => ValueTask.FromResult($"v{i}")));
        }

        await a.SetAsync("set-during", 1);
        await a.SetAsync("overwritten", "new");
        await a.RemoveAsync("before");
        await a.RemoveByTagAsync("some-tag");
        var down = a.GetSnapshot();
        Assert.True(down.L2Errors > 0);
        Assert.True(down.IsCircuitOpen);

        await _server.StartAsync();

        await Eventually.TrueAsync(
            async () =>
            {
                await a.SetAsync("after", "shared");
                return await b.GetOrCreateAsync("after", _ => ValueTask.FromResult("not-shared")) == "shared";
            },
            "node B reads node A's value from L2 again",
            TimeSpan.FromSeconds(30));
        await Eventually.TrueAsync(() => !a.GetSnapshot().IsCircuitOpen, "the circuit closed");

        // Invalidations made during the outage were replayed to Redis: node B sees none of the old values.
        await Eventually.TrueAsync(
            async () => await b.GetOrCreateAsync("before", _ => ValueTask.FromResult("gone")) == "gone"
                && await b.GetOrCreateAsync("tagged", _ => ValueTask.FromResult("gone")) == "gone"
                && await b.GetOrCreateAsync("overwritten", _ => ValueTask.FromResult("gone")) == "gone",
            "node B no longer serves values invalidated while Redis was down",
            TimeSpan.FromSeconds(30));
    }

    [Fact]
    public async Task A_cache_starts_and_serves_from_the_factory_when_Redis_is_down_at_start()
    {
        await _server.StopAsync();

        using var cache = Node();

        Assert.Equal(3, await cache.GetOrCreateAsync("k", _ => ValueTask.FromResult(3)));
        Assert.Equal(3, await cache.GetOrCreateAsync("k", _ => ValueTask.FromResult(4)));
    }

    private DefaultHybridCache Node() => TestCaches.Create(o =>
    {
        o.RedisConfiguration = _server.Configuration;
        o.KeyPrefix = "failsafe:";
        o.L2Timeout = TimeSpan.FromMilliseconds(500);
        o.CircuitBreakDuration = TimeSpan.FromMilliseconds(200);
    });
}
