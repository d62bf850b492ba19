using EventKit.Caching.Internal;
using EventKit.Testing;
using Microsoft.Extensions.Caching.Hybrid;
using Microsoft.Extensions.Time.Testing;

namespace EventKit.Caching.Tests.Internal;

/// <summary>L1 + L2 on the real test Redis; two instances sharing it behave as two nodes.</summary>
public sealed class DefaultHybridCacheRedisTests(RedisFixture redis) : IClassFixture<RedisFixture>, IDisposable
{
    private readonly List<DefaultHybridCache> _caches = [];

    public void Dispose()
    {
        foreach (var cache in _caches)
        {
            cache.Dispose();
        }
    }

    [Fact]
    public async Task A_second_node_is_answered_from_L2_without_running_its_factory()
    {
        var a = Node();
        var b = Node();
        await a.GetOrCreateAsync("shared", _ => ValueTask.FromResult("from-a"));

        var onB = await b.GetOrCreateAsync("shared", _ => ValueTask.FromResult("from-b"));

        Assert.Equal("from-a", onB);
        Assert.Equal(1, b.GetSnapshot().L2Hits);
        Assert.Equal(0, b.GetSnapshot().FactoryCalls);
    }

    [Fact]
    public async Task Keys_are_stored_under_the_configured_prefix()
    {
        var a = Node();

        await a.SetAsync("namespaced", 5);

        Assert.True(await redis.Connection.GetDatabase().KeyExistsAsync(redis.KeyPrefix + "namespaced"));
    }

    [Fact]
    public async Task A_remove_on_one_node_evicts_the_other_nodes_L1()
    {
        var a = Node();
        var b = Node();
        await a.SetAsync("evict-me", 1);
        Assert.Equal(1, await b.GetOrCreateAsync("evict-me", _ => ValueTask.FromResult(-1)));

        await a.RemoveAsync("evict-me");

        await Eventually.TrueAsync(async () => await b.GetOrCreateAsync("evict-me", _ => ValueTask.FromResult(-1), new HybridCacheEntryOptions { Flags = HybridCacheEntryFlags.DisableLocalCacheWrite }) == -1, "node B no longer serves the removed value");
    }

    [Fact]
    public async Task Removing_many_keys_on_one_node_evicts_all_of_them_on_the_other()
    {
        var a = Node();
        var b = Node();
        var keys = Enumerable.Range(0, 1200).Select(i => $"many:{i}").ToArray();
        foreach (var key in keys)
        {
            await b.SetAsync(key, 1, new HybridCacheEntryOptions { Flags = HybridCacheEntryFlags.DisableDistributedCache });
        }

        await a.RemoveAsync(keys);

        await Eventually.TrueAsync(() => b.L1.Count == 0 || keys.All(k => !b.L1.TryGetValue(k, out _)), "node B evicted all 1,200 keys");
        Assert.InRange(a.GetSnapshot().BackplaneSent, 3, 3);
    }

    [Fact]
    public async Task A_set_on_one_node_replaces_the_other_nodes_L1_copy()
    {
        var a = Node();
        var b = Node();
        await a.SetAsync("changing", "v1");
        Assert.Equal("v1", await b.GetOrCreateAsync("changing", _ => ValueTask.FromResult("none")));

        await a.SetAsync("changing", "v2");

        await Eventually.TrueAsync(async () => await b.GetOrCreateAsync("changing", _ => ValueTask.FromResult("none")) == "v2", "node B serves the new value");
    }

    [Fact]
    public async Task A_node_ignores_its_own_backplane_messages()
    {
        var a = Node();
        var b = Node();
        await a.SetAsync("own", 1);

        await Eventually.TrueAsync(() => b.GetSnapshot().BackplaneReceived >= 1, "node B received the message");
        Assert.True(a.GetSnapshot().BackplaneSent >= 1);
        Assert.Equal(0, a.GetSnapshot().BackplaneReceived);
        Assert.Equal(1, await a.GetOrCreateAsync("own", _ => ValueTask.FromResult(-1)));
        Assert.Equal(1, a.GetSnapshot().L1Hits);
    }

    [Fact]
    public async Task Removing_a_tag_invalidates_L1_and_L2_on_every_node()
    {
        var a = Node();
        var b = Node();
        await a.SetAsync("tagged-1", 1, tags: ["group"]);
        await a.SetAsync("tagged-2", 2, tags: ["group", "other"]);
        await a.SetAsync("untagged", 3);
        Assert.Equal(1, await b.GetOrCreateAsync("tagged-1", _ => ValueTask.FromResult(-1)));

        await a.RemoveByTagAsync("group");

        await Eventually.TrueAsync(async () => await b.GetOrCreateAsync("tagged-1", _ => ValueTask.FromResult(-1)) == -1, "node B drops the tagged entry");
        Assert.Equal(-2, await b.GetOrCreateAsync("tagged-2", _ => ValueTask.FromResult(-2)));
        Assert.Equal(3, await b.GetOrCreateAsync("untagged", _ => ValueTask.FromResult(-3)));
        Assert.Equal(-1, await a.GetOrCreateAsync("tagged-1", _ => ValueTask.FromResult(-1)));
    }

    [Fact]
    public async Task A_node_started_after_a_tag_removal_does_not_serve_invalidated_L2_entries()
    {
        var a = Node();
        await a.SetAsync("late", "old", tags: ["late-tag"]);
        await a.RemoveByTagAsync("late-tag");

        var c = Node();

        Assert.Equal("fresh", await c.GetOrCreateAsync("late", _ => ValueTask.FromResult("fresh")));
    }

    [Fact]
    public async Task Star_removal_invalidates_every_entry_on_every_node()
    {
        // Its own prefix: "*" covers a whole namespace, and other tests of this class share the fixture's.
        var prefix = redis.KeyPrefix + "star:";
        var a = Node(prefix);
        var b = Node(prefix);
        await a.SetAsync("x", 1);
        Assert.Equal(1, await b.GetOrCreateAsync("x", _ => ValueTask.FromResult(-1)));

        await a.RemoveByTagAsync("*");

        await Eventually.TrueAsync(async () => await b.GetOrCreateAsync("x", _ => ValueTask.FromResult(-1)) == -1, "node B drops everything");
    }

    [Fact]
    public async Task L1_lifetime_is_separate_from_and_never_longer_than_L2_lifetime()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var a = Node(time: time);
        var options = new HybridCacheEntryOptions { Expiration = TimeSpan.FromMinutes(10), LocalCacheExpiration = TimeSpan.FromMinutes(1) };
        await a.SetAsync("tiers", "v", options);

        time.Advance(TimeSpan.FromMinutes(2));
        Assert.Equal("v", await a.GetOrCreateAsync("tiers", _ => ValueTask.FromResult("factory"), options));

        Assert.Equal(1, a.GetSnapshot().L2Hits);
        var ttl = await redis.Connection.GetDatabase().KeyTimeToLiveAsync(redis.KeyPrefix + "tiers");
        Assert.InRange(ttl!.Value, TimeSpan.FromMinutes(9), TimeSpan.FromMinutes(10));
    }

    [Fact]
    public async Task Negative_results_are_shared_through_L2()
    {
        var a = Node();
        var b = Node();
        await a.GetOrCreateAsync<string?>("unknown", _ => ValueTask.FromResult<string?>(null));

        var calls = 0;
        var onB = await b.GetOrCreateAsync<string?>("unknown", _ => { calls++; return ValueTask.FromResult<string?>("found"); });

        Assert.Null(onB);
        Assert.Equal(0, calls);
        var ttl = await redis.Connection.GetDatabase().KeyTimeToLiveAsync(redis.KeyPrefix + "unknown");
        Assert.True(ttl <= TimeSpan.FromSeconds(30));
    }

    [Fact]
    public async Task Model_types_round_trip_through_L2()
    {
        var a = Node();
        var b = Node();
        var participant = TestCaches.Participant(42, ParticipantStatus.Suspended);
        IReadOnlyList<Gate> gates = [new Gate(1, 1, "North", GateKind.Entrance), new Gate(2, 1, "Hall B", GateKind.Session, isOpen: false)];
        await a.SetAsync("p", participant);
        await a.SetAsync("g", gates);

        var readParticipant = await b.GetOrCreateAsync<Participant?>("p", _ => ValueTask.FromResult<Participant?>(null));
        var readGates = await b.GetOrCreateAsync<IReadOnlyList<Gate>>("g", _ => ValueTask.FromResult<IReadOnlyList<Gate>>([]));

        Assert.Equal(participant, readParticipant);
        Assert.Equal(gates, readGates);
    }

    [Fact]
    public async Task Payloads_above_the_limit_stay_in_L1_only()
    {
        var a = Node(configure: o => o.MaximumPayloadBytes = 1024);
        await a.SetAsync("big", "small first");

        await a.SetAsync("big", new string('x', 5000));

        Assert.Equal(5000, (await a.GetOrCreateAsync("big", _ => ValueTask.FromResult(""))).Length);
        Assert.False(await redis.Connection.GetDatabase().KeyExistsAsync(redis.KeyPrefix + "big"));
    }

    [Fact]
    public async Task Concurrent_cold_requests_on_two_nodes_run_at_most_one_factory_per_node()
    {
        var a = Node();
        var b = Node();
        var calls = 0;
        async ValueTask<int> Factory(CancellationToken token)
        {
            Interlocked.Increment(ref calls);
            await Task.Yield();
            return 1;
        }

        var requests = new List<Task<int>>();
        for (var i = 0; i < 200; i++)
        {
            requests.Add(a.GetOrCreateAsync("both", Factory).AsTask());
            requests.Add(b.GetOrCreateAsync("both", Factory).AsTask());
        }

        await Task.WhenAll(requests);

        Assert.InRange(calls, 1, 2);
    }

    private DefaultHybridCache Node(string? prefix = null, TimeProvider? time = null, Action<HybridCachingOptions>? configure = null)
    {
        var cache = TestCaches.Create(
            o =>
            {
                o.KeyPrefix = prefix ?? redis.KeyPrefix;

                // The shared test machine is noisy; the default 50 ms budget is for production.
                o.L2Timeout = TimeSpan.FromSeconds(2);
                configure?.Invoke(o);
            },
            time,
            redis: redis.Configuration);
        _caches.Add(cache);
        return cache;
    }
}
