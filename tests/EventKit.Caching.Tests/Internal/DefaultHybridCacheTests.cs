using EventKit.Testing;
using Microsoft.Extensions.Caching.Hybrid;
using Microsoft.Extensions.Time.Testing;

namespace EventKit.Caching.Tests.Internal;

/// <summary>L1-only behaviour (no Redis): the HybridCache contract, stampede protection, expiry, tags, fail-safe and smart management.</summary>
public sealed class DefaultHybridCacheTests
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 21, 9, 0, 0, TimeSpan.Zero));

    [Fact]
    public async Task GetOrCreate_runs_the_factory_once_then_answers_from_L1()
    {
        using var cache = TestCaches.Create(time: _time);
        var calls = 0;

        var first = await cache.GetOrCreateAsync("k", _ => ValueTask.FromResult(++calls));
        var second = await cache.GetOrCreateAsync("k", _ => ValueTask.FromResult(++calls));

        Assert.Equal(1, first);
        Assert.Equal(1, second);
        Assert.Equal(1, calls);
        var stats = cache.GetSnapshot();
        Assert.Equal(1, stats.L1Hits);
        Assert.Equal(1, stats.L1Misses);
        Assert.Equal(1, stats.FactoryCalls);
    }

    [Fact]
    public async Task Stateful_overload_passes_the_state_to_the_factory()
    {
        using var cache = TestCaches.Create(time: _time);

        var value = await cache.GetOrCreateAsync("k", 21, static (state, _) => ValueTask.FromResult(state * 2));

        Assert.Equal(42, value);
    }

    [Fact]
    public async Task Entries_expire_after_their_L1_lifetime_and_never_outlive_Expiration()
    {
        using var cache = TestCaches.Create(time: _time);
        var calls = 0;
        var options = new HybridCacheEntryOptions { Expiration = TimeSpan.FromMinutes(1), LocalCacheExpiration = TimeSpan.FromMinutes(10) };

        await cache.GetOrCreateAsync("k", _ => ValueTask.FromResult(++calls), options);
        _time.Advance(TimeSpan.FromSeconds(59));
        await cache.GetOrCreateAsync("k", _ => ValueTask.FromResult(++calls), options);
        Assert.Equal(1, calls);

        _time.Advance(TimeSpan.FromSeconds(2));
        var value = await cache.GetOrCreateAsync("k", _ => ValueTask.FromResult(++calls), options);

        Assert.Equal(2, value);
    }

    [Fact]
    public async Task Set_replaces_and_Remove_deletes()
    {
        using var cache = TestCaches.Create(time: _time);
        await cache.SetAsync("k", "one");
        Assert.Equal("one", await cache.GetOrCreateAsync("k", _ => ValueTask.FromResult("factory")));

        await cache.SetAsync("k", "two");
        Assert.Equal("two", await cache.GetOrCreateAsync("k", _ => ValueTask.FromResult("factory")));

        await cache.RemoveAsync(["k", "other"]);
        Assert.Equal("factory", await cache.GetOrCreateAsync("k", _ => ValueTask.FromResult("factory")));
    }

    [Fact]
    public async Task Flags_can_skip_local_reads_and_the_factory()
    {
        using var cache = TestCaches.Create(time: _time);
        await cache.SetAsync("k", 1);

        var skipL1 = await cache.GetOrCreateAsync("k", _ => ValueTask.FromResult(2), new HybridCacheEntryOptions { Flags = HybridCacheEntryFlags.DisableLocalCache });
        var noFactory = await cache.GetOrCreateAsync("absent", _ => ValueTask.FromResult(3), new HybridCacheEntryOptions { Flags = HybridCacheEntryFlags.DisableUnderlyingData });

        Assert.Equal(2, skipL1);
        Assert.Equal(0, noFactory);
        Assert.Equal(1, await cache.GetOrCreateAsync("k", _ => ValueTask.FromResult(4)));
    }

    [Fact]
    public async Task A_thousand_concurrent_cold_requests_run_the_factory_once()
    {
        using var cache = TestCaches.Create(time: _time);
        var calls = 0;
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

        var requests = new Task<int>[1000];
        for (var i = 0; i < requests.Length; i++)
        {
            requests[i] = Task.Run(() => cache.GetOrCreateAsync("cold", async _ =>
            {
                Interlocked.Increment(ref calls);
                await release.Task;
                return 7;
            }).AsTask());
        }

        await Eventually.TrueAsync(() => Volatile.Read(ref calls) == 1, "the factory started");
        release.SetResult();
        var results = await Task.WhenAll(requests);

        Assert.Equal(1, calls);
        Assert.All(results, r => Assert.Equal(7, r));
    }

    [Fact]
    public async Task One_caller_cancelling_does_not_cancel_the_shared_work_others_wait_for()
    {
        using var cache = TestCaches.Create(time: _time);
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var factoryToken = CancellationToken.None;
        using var impatient = new CancellationTokenSource();

        var first = cache.GetOrCreateAsync("k", async token =>
        {
            factoryToken = token;
            await release.Task;
            return 5;
        }, cancellationToken: impatient.Token).AsTask();
        var second = cache.GetOrCreateAsync("k", _ => ValueTask.FromResult(-1)).AsTask();

        await impatient.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => first);
        release.SetResult();

        Assert.Equal(5, await second);
        Assert.False(factoryToken.IsCancellationRequested);
    }

    [Fact]
    public async Task When_every_caller_cancels_the_factory_is_cancelled()
    {
        using var cache = TestCaches.Create(time: _time);
        var factoryToken = new TaskCompletionSource<CancellationToken>();
        using var caller = new CancellationTokenSource();

        var request = cache.GetOrCreateAsync("k", async token =>
        {
            factoryToken.SetResult(token);
            await Task.Delay(Timeout.Infinite, token);
            return 1;
        }, cancellationToken: caller.Token).AsTask();
        var token = await factoryToken.Task;
        await caller.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => request);
        Assert.True(token.IsCancellationRequested);
    }

    [Fact]
    public async Task Factory_exceptions_reach_every_waiter_and_are_not_cached()
    {
        using var cache = TestCaches.Create(time: _time);

        await Assert.ThrowsAsync<InvalidOperationException>(() => cache.GetOrCreateAsync<int>("k", _ => throw new InvalidOperationException("db down")).AsTask());
        var value = await cache.GetOrCreateAsync("k", _ => ValueTask.FromResult(3));

        Assert.Equal(3, value);
    }

    [Fact]
    public async Task Not_found_is_cached_for_the_negative_expiration_only()
    {
        using var cache = TestCaches.Create(o => o.NegativeExpiration = TimeSpan.FromSeconds(30), _time);
        var calls = 0;

        for (var i = 0; i < 5; i++)
        {
            Assert.Null(await cache.GetOrCreateAsync<string?>("missing", _ => { calls++; return ValueTask.FromResult<string?>(null); }));
        }

        Assert.Equal(1, calls);
        _time.Advance(TimeSpan.FromSeconds(31));
        await cache.GetOrCreateAsync<string?>("missing", _ => { calls++; return ValueTask.FromResult<string?>(null); });
        Assert.Equal(2, calls);
    }

    [Fact]
    public async Task Removing_a_tag_invalidates_its_entries_only()
    {
        using var cache = TestCaches.Create(time: _time);
        await cache.SetAsync("a", 1, tags: ["t1"]);
        await cache.SetAsync("b", 2, tags: ["t2"]);

        await cache.RemoveByTagAsync("t1");

        Assert.Equal(-1, await cache.GetOrCreateAsync("a", _ => ValueTask.FromResult(-1)));
        Assert.Equal(2, await cache.GetOrCreateAsync("b", _ => ValueTask.FromResult(-1)));
    }

    [Fact]
    public async Task A_value_set_after_a_tag_removal_is_visible()
    {
        using var cache = TestCaches.Create(time: _time);
        await cache.SetAsync("a", 1, tags: ["t"]);
        await cache.RemoveByTagAsync("t");

        await cache.SetAsync("a", 2, tags: ["t"]);

        Assert.Equal(2, await cache.GetOrCreateAsync("a", _ => ValueTask.FromResult(-1)));
    }

    [Fact]
    public async Task Removing_the_star_tag_invalidates_everything()
    {
        using var cache = TestCaches.Create(time: _time);
        await cache.SetAsync("a", 1, tags: ["t1"]);
        await cache.SetAsync("b", 2);

        await cache.RemoveByTagAsync("*");

        Assert.Equal(-1, await cache.GetOrCreateAsync("a", _ => ValueTask.FromResult(-1)));
        Assert.Equal(-1, await cache.GetOrCreateAsync("b", _ => ValueTask.FromResult(-1)));
    }

    [Fact]
    public async Task Star_is_not_accepted_as_an_entry_tag()
    {
        using var cache = TestCaches.Create(time: _time);

        await Assert.ThrowsAsync<ArgumentException>(() => cache.SetAsync("a", 1, tags: ["*"]).AsTask());
    }

    [Fact]
    public async Task L1_is_bounded_by_its_capacity()
    {
        using var cache = TestCaches.Create(o => o.L1Capacity = 100, _time);

        for (var i = 0; i < 1000; i++)
        {
            await cache.SetAsync($"k{i}", i);
        }

        await Eventually.TrueAsync(() => cache.L1.Count <= 100, "L1 is within its capacity");
        Assert.True(cache.L1.Count > 0);
    }

    [Fact]
    public async Task Stale_on_error_serves_an_expired_value_when_the_factory_fails()
    {
        using var cache = TestCaches.Create(o => o.StaleOnErrorMaxStaleness = TimeSpan.FromMinutes(10), _time);
        var options = new HybridCacheEntryOptions { Expiration = TimeSpan.FromMinutes(1) };
        await cache.GetOrCreateAsync("k", _ => ValueTask.FromResult("fresh"), options);
        _time.Advance(TimeSpan.FromMinutes(2));

        var served = await cache.GetOrCreateAsync<string>("k", _ => throw new InvalidOperationException("db down"), options);

        Assert.Equal("fresh", served);
        _time.Advance(TimeSpan.FromMinutes(10));
        await Assert.ThrowsAsync<InvalidOperationException>(() => cache.GetOrCreateAsync<string>("k", _ => throw new InvalidOperationException("db down"), options).AsTask());
    }

    [Fact]
    public async Task Without_stale_on_error_a_factory_failure_after_expiry_propagates()
    {
        using var cache = TestCaches.Create(time: _time);
        var options = new HybridCacheEntryOptions { Expiration = TimeSpan.FromMinutes(1) };
        await cache.GetOrCreateAsync("k", _ => ValueTask.FromResult("fresh"), options);
        _time.Advance(TimeSpan.FromMinutes(2));

        await Assert.ThrowsAsync<InvalidOperationException>(() => cache.GetOrCreateAsync<string>("k", _ => throw new InvalidOperationException("db down"), options).AsTask());
    }

    [Fact]
    public async Task Eager_refresh_reloads_in_the_background_after_the_fraction_of_the_lifetime()
    {
        using var cache = TestCaches.Create(o => o.EagerRefreshFraction = 0.5, _time);
        var options = new HybridCacheEntryOptions { Expiration = TimeSpan.FromMinutes(10) };
        var version = 0;
        await cache.GetOrCreateAsync("k", _ => ValueTask.FromResult(++version), options);
        _time.Advance(TimeSpan.FromMinutes(6));

        var served = await cache.GetOrCreateAsync("k", _ => ValueTask.FromResult(++version), options);

        Assert.Equal(1, served);
        await Eventually.TrueAsync(async () => await cache.GetOrCreateAsync("k", _ => ValueTask.FromResult(-1), options) == 2, "the refreshed value is served");
    }

    [Fact]
    public async Task Hot_keys_get_a_longer_L1_lifetime_capped_by_Expiration()
    {
        using var cache = TestCaches.Create(o => { o.HotKeyThreshold = 3; o.HotKeyLifetimeMultiplier = 4; }, _time);
        var options = new HybridCacheEntryOptions { Expiration = TimeSpan.FromMinutes(20), LocalCacheExpiration = TimeSpan.FromMinutes(1) };
        await cache.SetAsync("hot", 1, options);
        for (var i = 0; i < 5; i++)
        {
            await cache.GetOrCreateAsync("hot", _ => ValueTask.FromResult(-1), options);
        }

        await cache.SetAsync("hot", 2, options);
        await Eventually.TrueAsync(() => cache.IsHot("hot"), "the replaced entry's hits marked the key hot");
        await cache.SetAsync("hot", 2, options);
        _time.Advance(TimeSpan.FromMinutes(3));

        Assert.Equal(2, await cache.GetOrCreateAsync("hot", _ => ValueTask.FromResult(-1), options));
        Assert.False(cache.IsHot("cold"));
    }

    [Fact]
    public async Task Memory_pressure_above_the_threshold_compacts_L1()
    {
        using var cache = TestCaches.Create(o => { o.MemoryCompactionThreshold = 0.8; o.MemoryCheckInterval = TimeSpan.FromSeconds(1); }, _time);
        for (var i = 0; i < 100; i++)
        {
            await cache.SetAsync($"k{i}", i);
        }

        cache.MemoryLoad = () => 0.5;
        _time.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(100, cache.L1.Count);

        cache.MemoryLoad = () => 0.9;
        _time.Advance(TimeSpan.FromSeconds(1));

        Assert.True(cache.L1.Count <= 75, $"L1 has {cache.L1.Count} entries after compaction");
    }

    [Fact]
    public async Task Snapshot_counts_hits_and_misses_per_key_prefix()
    {
        using var cache = TestCaches.Create(time: _time);
        await cache.GetOrCreateAsync("participant:1", _ => ValueTask.FromResult(1));
        await cache.GetOrCreateAsync("participant:1", _ => ValueTask.FromResult(1));
        await cache.GetOrCreateAsync("participant:1", _ => ValueTask.FromResult(1));
        await cache.GetOrCreateAsync("gate:1", _ => ValueTask.FromResult(1));

        var stats = cache.GetSnapshot();

        Assert.Equal(new PrefixStatistics(2, 1), stats.ByPrefix["participant"]);
        Assert.Equal(new PrefixStatistics(0, 1), stats.ByPrefix["gate"]);
        Assert.Equal(0.5, stats.L1HitRatio);
    }

    [Fact]
    public async Task When_L1_is_full_keys_seen_once_are_evicted_before_returning_keys()
    {
        using var cache = TestCaches.Create(o => o.L1Capacity = 100, _time);
        for (var i = 0; i < 50; i++)
        {
            await cache.SetAsync($"returning:{i}", i);
            await cache.SetAsync($"returning:{i}", i);
        }

        for (var i = 0; i < 500; i++)
        {
            await cache.SetAsync($"once:{i}", i);
            await Eventually.TrueAsync(() => cache.L1.Count <= 100, "L1 is within its capacity");
        }

        var kept = 0;
        for (var i = 0; i < 50; i++)
        {
            kept += cache.L1.TryGetValue($"returning:{i}", out _) ? 1 : 0;
        }

        Assert.Equal(50, kept);
    }
}
