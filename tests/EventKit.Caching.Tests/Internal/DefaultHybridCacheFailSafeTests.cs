using EventKit.Caching.Internal;
using EventKit.Testing;
using StackExchange.Redis;

namespace EventKit.Caching.Tests.Internal;

/// <summary>
/// Redis failing mid-test on a private redis-server: killed (calls keep succeeding, the cache recovers when it is
/// back) or paused with <c>CLIENT PAUSE</c> (data kept, so invalidations made meanwhile must be replayed).
/// </summary>
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
        Assert.Equal("cached", await a.GetOrCreateAsync("before", _ => ValueTask.FromResult("factory")));

        await _server.StopAsync();

        // L1 still answers, new keys fall back to the factory, sets and removes do not throw.
        Assert.Equal("cached", await a.GetOrCreateAsync("before", _ => ValueTask.FromResult("factory")));
        for (var i = 0; i < 20; i++)
        {
            Assert.Equal($"v{i}", await a.GetOrCreateAsync($"during-{i}", _ => ValueTask.FromResult($"v{i}")));
        }

        await a.SetAsync("set-during", 1);
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
    }

    [Fact]
    public async Task Invalidations_made_while_Redis_does_not_answer_reach_L2_and_other_nodes_afterwards()
    {
        using var a = Node();
        using var b = Node();
        await a.SetAsync("removed", "old");
        await a.SetAsync("tagged", "old", tags: ["some-tag"]);
        await a.SetAsync("overwritten", "old");
        Assert.Equal("old", await b.GetOrCreateAsync("removed", _ => ValueTask.FromResult("gone")));
        Assert.Equal("old", await b.GetOrCreateAsync("tagged", _ => ValueTask.FromResult("gone")));
        Assert.Equal("old", await b.GetOrCreateAsync("overwritten", _ => ValueTask.FromResult("gone")));

        // Redis keeps its data but answers nobody for 3 s: every call of node A times out and the circuit opens.
        await RedisCli.RunAsync(_server.Port, "CLIENT", "PAUSE", "3000", "ALL");
        for (var i = 0; i < 3; i++)
        {
            await a.GetOrCreateAsync($"probe-{i}", _ => ValueTask.FromResult(0));
        }

        Assert.True(a.GetSnapshot().IsCircuitOpen);
        await a.RemoveAsync("removed");
        await a.RemoveByTagAsync("some-tag");
        await a.SetAsync("overwritten", "new", new() { Flags = Microsoft.Extensions.Caching.Hybrid.HybridCacheEntryFlags.DisableLocalCacheWrite });

        // Node B saw none of it yet; once Redis answers, node A replays all three (on its own: nothing here calls
        // Redis through node A any more) and B's L1 copies go.
        await Eventually.TrueAsync(
            async () =>
            {
                return await b.GetOrCreateAsync("removed", _ => ValueTask.FromResult("gone")) == "gone"
                    && await b.GetOrCreateAsync("tagged", _ => ValueTask.FromResult("gone")) == "gone"
                    && await b.GetOrCreateAsync("overwritten", _ => ValueTask.FromResult("gone")) == "gone";
            },
            "node B no longer serves values invalidated while Redis did not answer",
            TimeSpan.FromSeconds(30));
    }

    [Fact]
    public async Task A_cache_started_while_Redis_is_down_serves_from_the_factory_and_uses_L2_once_it_is_up()
    {
        await _server.StopAsync();

        using var cache = Node();

        Assert.Equal(3, await cache.GetOrCreateAsync("k", _ => ValueTask.FromResult(3)));
        Assert.Equal(3, await cache.GetOrCreateAsync("k", _ => ValueTask.FromResult(4)));

        await _server.StartAsync();
        using var direct = await ConnectionMultiplexer.ConnectAsync(_server.Configuration);
        await Eventually.TrueAsync(
            async () =>
            {
                await cache.SetAsync("probe", 1);
                return await direct.GetDatabase().KeyExistsAsync("failsafe:probe");
            },
            "the cache writes to Redis once it is up",
            TimeSpan.FromSeconds(30));
    }

    [Fact]
    public async Task Invalidations_dropped_while_Redis_is_down_are_reported_once_per_ten_seconds_with_their_count()
    {
        var time = new Microsoft.Extensions.Time.Testing.FakeTimeProvider(DateTimeOffset.UtcNow);
        var logs = new ListLogger();
        await _server.StopAsync();
        using var cache = TestCaches.Create(
            o =>
            {
                o.KeyPrefix = "dropped:";
                o.L2Timeout = TimeSpan.FromMilliseconds(300);
            },
            time,
            redis: _server.Configuration,
            logs: logs);

        // 10,050 removes Redis cannot take: the queue keeps 10,000, drops 50, and says so in one line, not fifty.
        for (var i = 0; i < 10_050; i++)
        {
            await cache.RemoveAsync($"gone-{i}");
        }

        var dropped = logs.Entries.Where(e => e.EventId.Id == 4015).ToList();
        Assert.Single(dropped);

        time.Advance(TimeSpan.FromSeconds(11));
        await cache.RemoveAsync("one-more");
        dropped = [.. logs.Entries.Where(e => e.EventId.Id == 4015)];
        Assert.Equal(2, dropped.Count);
        Assert.Contains("oldest 50 were dropped", dropped[1].Message, StringComparison.Ordinal);
    }

    private DefaultHybridCache Node() => TestCaches.Create(
        o =>
        {
            o.KeyPrefix = "failsafe:";
            o.L2Timeout = TimeSpan.FromMilliseconds(300);
            o.CircuitBreakDuration = TimeSpan.FromMilliseconds(200);
        },
        redis: _server.Configuration);
}
