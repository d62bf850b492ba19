using System.Text;
using System.Text.Json;
using EventKit.Testing;
using Microsoft.Extensions.Caching.Hybrid;
using Microsoft.Extensions.DependencyInjection;

namespace EventKit.Caching.Tests.Conformance;

/// <summary>
/// The <see cref="HybridCache"/> contract, written once and run against Microsoft's <c>DefaultHybridCache</c>
/// (<see cref="MicrosoftHybridCacheConformanceTests"/>) and EventKit's (<see cref="EventKitHybridCacheConformanceTests"/>),
/// both with Redis as L2. Where the two differ on purpose, the test asserts each behaviour separately with
/// <see cref="Implementation"/> and says why (docs/caching.md, "Compared with Microsoft's HybridCache").
/// A "node" is a cache with its own service provider (own L1) sharing the test's Redis namespace.
/// </summary>
public abstract class HybridCacheConformanceTests(RedisFixture redis) : IDisposable
{
    private readonly List<ServiceProvider> _providers = [];

    /// <summary>Which implementation a subclass runs.</summary>
    protected enum CacheImplementation
    {
        /// <summary>EventKit.Caching's cache.</summary>
        EventKit,

        /// <summary>Microsoft.Extensions.Caching.Hybrid's cache with Microsoft.Extensions.Caching.StackExchangeRedis.</summary>
        Microsoft,
    }

    /// <summary>The implementation under test.</summary>
    protected abstract CacheImplementation Implementation { get; }

    /// <summary>The Redis fixture (one per test class).</summary>
    protected RedisFixture Redis { get; } = redis;

    /// <summary>This test's Redis namespace (key prefix / instance name): unique per test, under the fixture's prefix.</summary>
    protected string Scope { get; } = $"{redis.KeyPrefix}{Guid.NewGuid().ToString("N")[..12]}:";

    public void Dispose()
    {
        foreach (var provider in _providers)
        {
            provider.Dispose();
        }

        GC.SuppressFinalize(this);
    }

    /// <summary>Registers the implementation under test (L1 + Redis L2 in <see cref="Scope"/>) into <paramref name="services"/>.</summary>
    protected abstract void AddCache(IServiceCollection services);

    /// <summary>The raw bytes the implementation stored in Redis for <paramref name="key"/>.</summary>
    protected abstract Task<byte[]?> ReadRawAsync(string key);

    /// <summary>A new node; <paramref name="configure"/> registers serializers the Microsoft way, before the cache.</summary>
    protected HybridCache Node(Action<IHybridCacheBuilder>? configure = null)
    {
        var services = new ServiceCollection();
        var builder = services.AddHybridCache();
        configure?.Invoke(builder);
        AddCache(services);
        var provider = services.BuildServiceProvider();
        _providers.Add(provider);
        Started(provider);
        return provider.GetRequiredService<HybridCache>();
    }

    /// <summary>What a host would do at start for the implementation (for example connect to Redis); nothing by default.</summary>
    protected virtual void Started(IServiceProvider provider)
    {
    }

    private static string NewKey(string what) => $"{what}:{Guid.NewGuid():N}";

    private static Func<CancellationToken, ValueTask<T>> Returns<T>(T value) => _ => ValueTask.FromResult(value);

    // ---- get / set / remove ----

    [Fact]
    public async Task GetOrCreate_runs_the_factory_once_and_then_answers_from_the_cache()
    {
        var cache = Node();
        var key = NewKey("goc");
        var runs = 0;

        var first = await cache.GetOrCreateAsync(key, _ => { runs++; return ValueTask.FromResult("v1"); });
        var second = await cache.GetOrCreateAsync(key, _ => { runs++; return ValueTask.FromResult("v2"); });

        Assert.Equal("v1", first);
        Assert.Equal("v1", second);
        Assert.Equal(1, runs);
    }

    [Fact]
    public async Task A_value_set_on_one_node_is_read_from_L2_by_a_node_with_a_cold_L1()
    {
        var a = Node();
        var key = NewKey("set");
        await a.SetAsync(key, 42);

        var b = Node();
        var onB = await b.GetOrCreateAsync(key, Returns(-1));

        Assert.Equal(42, onB);
    }

    [Fact]
    public async Task Remove_deletes_the_key_from_L1_and_L2()
    {
        var a = Node();
        var key = NewKey("remove");
        await a.SetAsync(key, "value");

        await a.RemoveAsync(key);

        Assert.Equal("other", await Node().GetOrCreateAsync(key, Returns("other"), new HybridCacheEntryOptions { Flags = HybridCacheEntryFlags.DisableDistributedCacheWrite }));
        Assert.Equal("factory", await a.GetOrCreateAsync(key, Returns("factory")));
    }

    [Fact]
    public async Task Remove_of_many_keys_deletes_each_of_them()
    {
        var a = Node();
        var keys = new[] { NewKey("many"), NewKey("many"), NewKey("many") };
        foreach (var key in keys)
        {
            await a.SetAsync(key, 1);
        }

        await a.RemoveAsync(keys);

        var b = Node();
        foreach (var key in keys)
        {
            Assert.Equal(-1, await a.GetOrCreateAsync(key, Returns(-1), new HybridCacheEntryOptions { Flags = HybridCacheEntryFlags.DisableDistributedCacheWrite }));
            Assert.Equal(-2, await b.GetOrCreateAsync(key, Returns(-2)));
        }
    }

    [Fact]
    public async Task Set_replaces_the_value_on_the_same_node()
    {
        var a = Node();
        var key = NewKey("replace");
        await a.SetAsync(key, "v1");

        await a.SetAsync(key, "v2");

        Assert.Equal("v2", await a.GetOrCreateAsync(key, Returns("factory")));
        Assert.Equal("v2", await Node().GetOrCreateAsync(key, Returns("factory")));
    }

    [Fact]
    public async Task A_node_keeps_or_drops_its_L1_copy_when_another_node_sets_the_key()
    {
        var a = Node();
        var b = Node();
        var key = NewKey("cross-set");
        await a.SetAsync(key, "v1");
        Assert.Equal("v1", await b.GetOrCreateAsync(key, Returns("factory")));

        await a.SetAsync(key, "v2");

        if (Implementation == CacheImplementation.EventKit)
        {
            // On purpose: EventKit publishes the set on its Redis backplane, so node B drops its copy and reads v2 from L2.
            await Eventually.TrueAsync(async () => await b.GetOrCreateAsync(key, Returns("factory")) == "v2", "node B serves the new value");
        }
        else
        {
            // Microsoft's has no backplane: node B serves its L1 copy until LocalCacheExpiration (5 min by default).
            Assert.Equal("v1", await b.GetOrCreateAsync(key, Returns("factory")));
        }
    }

    [Fact]
    public async Task A_node_keeps_or_drops_its_L1_copy_when_another_node_removes_the_key()
    {
        var a = Node();
        var b = Node();
        var key = NewKey("cross-remove");
        await a.SetAsync(key, "v1");
        Assert.Equal("v1", await b.GetOrCreateAsync(key, Returns("factory")));

        await a.RemoveAsync(key);

        if (Implementation == CacheImplementation.EventKit)
        {
            // On purpose: the removal reaches node B's L1 through the backplane.
            await Eventually.TrueAsync(async () => await b.GetOrCreateAsync(key, Returns("factory")) == "factory", "node B drops the removed value");
        }
        else
        {
            // Microsoft's has no backplane: node B's L1 copy survives the removal of the L2 entry.
            Assert.Equal("v1", await b.GetOrCreateAsync(key, Returns("factory")));
        }
    }

    // ---- tags ----

    [Fact]
    public async Task RemoveByTag_invalidates_tagged_entries_and_keeps_the_others()
    {
        var a = Node();
        var tag = NewKey("tag");
        var (k1, k2, k3) = (NewKey("t1"), NewKey("t2"), NewKey("t3"));
        await a.SetAsync(k1, 1, tags: [tag]);
        await a.SetAsync(k2, 2, tags: ["unrelated", tag]);
        await a.SetAsync(k3, 3, tags: ["unrelated"]);

        await a.RemoveByTagAsync(tag);

        var noL2 = new HybridCacheEntryOptions { Flags = HybridCacheEntryFlags.DisableDistributedCache };
        Assert.Equal(-10, await a.GetOrCreateAsync(k1, Returns(-10), noL2));
        Assert.Equal(-20, await a.GetOrCreateAsync(k2, Returns(-20), noL2));
        Assert.Equal(3, await a.GetOrCreateAsync(k3, Returns(-30), noL2));

        // A node started after the removal must not take the tagged entries from L2 either.
        var later = Node();
        Assert.Equal(-1, await later.GetOrCreateAsync(k1, Returns(-1)));
        Assert.Equal(-2, await later.GetOrCreateAsync(k2, Returns(-2)));
        Assert.Equal(3, await later.GetOrCreateAsync(k3, Returns(-3)));
    }

    [Fact]
    public async Task An_entry_written_after_RemoveByTag_is_valid()
    {
        var a = Node();
        var tag = NewKey("tag");
        var key = NewKey("rewritten");
        await a.SetAsync(key, 1, tags: [tag]);
        await a.RemoveByTagAsync(tag);

        await a.SetAsync(key, 2, tags: [tag]);

        Assert.Equal(2, await a.GetOrCreateAsync(key, Returns(-1), tags: [tag]));
        Assert.Equal(2, await Node().GetOrCreateAsync(key, Returns(-1), tags: [tag]));
    }

    [Fact]
    public async Task RemoveByTag_star_invalidates_everything()
    {
        var a = Node();
        var key = NewKey("star");
        await a.SetAsync(key, 1);

        await a.RemoveByTagAsync("*");

        Assert.Equal(-1, await a.GetOrCreateAsync(key, Returns(-1)));
        Assert.Equal(-1, await Node().GetOrCreateAsync(key, Returns(-2)));
    }

    [Fact]
    public async Task A_node_keeps_or_drops_its_L1_copy_when_another_node_removes_its_tag()
    {
        var a = Node();
        var b = Node();
        var tag = NewKey("tag");
        var key = NewKey("cross-tag");
        await a.SetAsync(key, 1, tags: [tag]);
        Assert.Equal(1, await b.GetOrCreateAsync(key, Returns(-1), tags: [tag]));

        await a.RemoveByTagAsync(tag);

        if (Implementation == CacheImplementation.EventKit)
        {
            // On purpose: the tag stamp is published on the backplane, so node B refuses its L1 copy within milliseconds.
            await Eventually.TrueAsync(async () => await b.GetOrCreateAsync(key, Returns(-1), tags: [tag]) == -1, "node B drops the tagged value");
        }
        else
        {
            // Microsoft's reads a tag's stamp from L2 once per node and caches it: node B keeps serving its copy.
            Assert.Equal(1, await b.GetOrCreateAsync(key, Returns(-1), tags: [tag]));
        }
    }

    // ---- flags ----

    [Fact]
    public async Task DisableLocalCacheRead_skips_the_L1_copy()
    {
        var a = Node();
        var key = NewKey("no-l1-read");
        await a.SetAsync(key, "l1-only", new HybridCacheEntryOptions { Flags = HybridCacheEntryFlags.DisableDistributedCacheWrite });

        var skipped = await a.GetOrCreateAsync(key, Returns("factory"), new HybridCacheEntryOptions { Flags = HybridCacheEntryFlags.DisableLocalCacheRead });

        Assert.Equal("factory", skipped);
    }

    [Fact]
    public async Task DisableLocalCacheWrite_leaves_L1_alone_but_writes_L2()
    {
        var a = Node();
        var key = NewKey("no-l1-write");

        Assert.Equal("first", await a.GetOrCreateAsync(key, Returns("first"), new HybridCacheEntryOptions { Flags = HybridCacheEntryFlags.DisableLocalCacheWrite }));

        Assert.Equal("second", await a.GetOrCreateAsync(key, Returns("second"), new HybridCacheEntryOptions { Flags = HybridCacheEntryFlags.DisableDistributedCache }));
        Assert.Equal("first", await Node().GetOrCreateAsync(key, Returns("third"), new HybridCacheEntryOptions { Flags = HybridCacheEntryFlags.DisableLocalCacheWrite }));
    }

    [Fact]
    public async Task DisableDistributedCacheRead_ignores_the_L2_value()
    {
        var key = NewKey("no-l2-read");
        await Node().SetAsync(key, "in-l2");

        var b = Node();

        Assert.Equal("factory", await b.GetOrCreateAsync(key, Returns("factory"), new HybridCacheEntryOptions { Flags = HybridCacheEntryFlags.DisableDistributedCacheRead }));
    }

    [Fact]
    public async Task DisableDistributedCacheWrite_keeps_the_value_in_L1_only()
    {
        var a = Node();
        var key = NewKey("no-l2-write");

        await a.GetOrCreateAsync(key, Returns("local"), new HybridCacheEntryOptions { Flags = HybridCacheEntryFlags.DisableDistributedCacheWrite });

        Assert.Null(await ReadRawAsync(key));
        Assert.Equal("local", await a.GetOrCreateAsync(key, Returns("again")));
        Assert.Equal("other", await Node().GetOrCreateAsync(key, Returns("other")));
    }

    [Fact]
    public async Task DisableUnderlyingData_never_runs_the_factory_and_stores_nothing()
    {
        var a = Node();
        var key = NewKey("no-data");
        var runs = 0;

        var missing = await a.GetOrCreateAsync(key, _ => { runs++; return ValueTask.FromResult(7); }, new HybridCacheEntryOptions { Flags = HybridCacheEntryFlags.DisableUnderlyingData });

        Assert.Equal(0, missing);
        Assert.Equal(0, runs);
        Assert.Equal(8, await a.GetOrCreateAsync(key, Returns(8)));
    }

    [Fact]
    public async Task DisableUnderlyingData_still_answers_from_L2()
    {
        var key = NewKey("no-data-l2");
        await Node().SetAsync(key, 5);

        var fromL2 = await Node().GetOrCreateAsync(key, Returns(-1), new HybridCacheEntryOptions { Flags = HybridCacheEntryFlags.DisableUnderlyingData });

        Assert.Equal(5, fromL2);
    }

    [Fact]
    public async Task SetAsync_with_DisableUnderlyingData_writes_nothing()
    {
        var a = Node();
        var key = NewKey("set-no-data");

        await a.SetAsync(key, 9, new HybridCacheEntryOptions { Flags = HybridCacheEntryFlags.DisableUnderlyingData });

        Assert.Equal(-2, await Node().GetOrCreateAsync(key, Returns(-2), new HybridCacheEntryOptions { Flags = HybridCacheEntryFlags.DisableDistributedCacheWrite }));
        Assert.Equal(-1, await a.GetOrCreateAsync(key, Returns(-1)));
    }

    [Fact]
    public async Task DisableCompression_round_trips_through_L2()
    {
        var key = NewKey("no-compression");
        var text = new string('x', 64 * 1024);
        await Node().SetAsync(key, text, new HybridCacheEntryOptions { Flags = HybridCacheEntryFlags.DisableCompression });

        Assert.Equal(text, await Node().GetOrCreateAsync(key, Returns("factory")));

        // Neither implementation compresses (Microsoft's reserves the flag), so the raw L2 value holds the text as is.
        var raw = await ReadRawAsync(key);
        Assert.NotNull(raw);
        Assert.True(raw.Length >= text.Length);
    }

    [Fact]
    public async Task SetAsync_with_DisableLocalCacheWrite_keeps_or_drops_the_previous_L1_copy()
    {
        var a = Node();
        var key = NewKey("set-no-l1");
        Assert.Equal("old", await a.GetOrCreateAsync(key, Returns("old")));

        await a.SetAsync(key, "new", new HybridCacheEntryOptions { Flags = HybridCacheEntryFlags.DisableLocalCacheWrite });

        var read = await a.GetOrCreateAsync(key, Returns("factory"));
        if (Implementation == CacheImplementation.EventKit)
        {
            // On purpose: EventKit drops the previous L1 copy (it does not write the new one), so the next read takes L2's.
            Assert.Equal("new", read);
        }
        else
        {
            // Microsoft's neither writes nor evicts L1: the old copy answers until it expires.
            Assert.Equal("old", read);
        }
    }

    [Fact]
    public async Task Callers_with_different_flags_do_not_share_a_load()
    {
        var a = Node();
        var key = NewKey("flags-flight");
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var runs = 0;

        var loading = a.GetOrCreateAsync(key, async _ => { Interlocked.Increment(ref runs); await gate.Task; return 1; }).AsTask();
        var noData = await a.GetOrCreateAsync(key, Returns(2), new HybridCacheEntryOptions { Flags = HybridCacheEntryFlags.DisableUnderlyingData });
        gate.SetResult();

        Assert.Equal(0, noData);
        Assert.Equal(1, await loading);
        Assert.Equal(1, runs);
    }

    // ---- expiration ----

    [Fact]
    public async Task LocalCacheExpiration_never_outlives_Expiration_and_both_round_trip()
    {
        var a = Node();
        var key = NewKey("expiry");
        var options = new HybridCacheEntryOptions { Expiration = TimeSpan.FromMinutes(1), LocalCacheExpiration = TimeSpan.FromHours(1) };

        await a.SetAsync(key, 3, options);

        Assert.Equal(3, await a.GetOrCreateAsync(key, Returns(-1), options));
        Assert.Equal(3, await Node().GetOrCreateAsync(key, Returns(-1), options));
        var ttl = await Redis.Connection.GetDatabase().KeyTimeToLiveAsync(Scope + key);
        Assert.NotNull(ttl);
        Assert.InRange(ttl.Value, TimeSpan.FromSeconds(1), TimeSpan.FromMinutes(1));
    }

    // ---- stampede and cancellation ----

    [Fact]
    public async Task A_thousand_concurrent_callers_of_a_missing_key_run_the_factory_once()
    {
        var cache = Node();
        var key = NewKey("stampede");
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var runs = 0;
        var calls = new Task<int>[1000];

        // Every call has joined (or started) the load when GetOrCreateAsync returns; the factory waits for all of them.
        Parallel.For(0, calls.Length, i => calls[i] = cache.GetOrCreateAsync(key, async _ =>
        {
            Interlocked.Increment(ref runs);
            await gate.Task;
            return 1234;
        }).AsTask());
        gate.SetResult();
        var results = await Task.WhenAll(calls);

        Assert.Equal(1, runs);
        Assert.All(results, r => Assert.Equal(1234, r));
    }

    [Fact]
    public async Task Cancelling_one_caller_does_not_cancel_the_others_or_the_factory()
    {
        var cache = Node();
        var key = NewKey("cancel-one");
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var runs = 0;
        var factoryToken = new TaskCompletionSource<CancellationToken>(TaskCreationOptions.RunContinuationsAsynchronously);
        Func<CancellationToken, ValueTask<int>> factory = async token =>
        {
            Interlocked.Increment(ref runs);
            factoryToken.TrySetResult(token);
            await gate.Task;
            return 77;
        };
        using var cancelled = new CancellationTokenSource();
        using var patient = new CancellationTokenSource();

        var first = cache.GetOrCreateAsync(key, factory, cancellationToken: cancelled.Token).AsTask();
        var second = cache.GetOrCreateAsync(key, factory, cancellationToken: patient.Token).AsTask();
        var third = cache.GetOrCreateAsync(key, factory).AsTask();
        await cancelled.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => first);
        Assert.False(second.IsCompleted);
        var token = await factoryToken.Task;
        gate.SetResult();
        Assert.Equal(77, await second);
        Assert.Equal(77, await third);
        Assert.Equal(1, runs);
        Assert.False(token.IsCancellationRequested);
        Assert.Equal(77, await cache.GetOrCreateAsync(key, Returns(-1)));
    }

    [Fact]
    public async Task When_every_caller_gives_up_the_factorys_token_is_cancelled()
    {
        var cache = Node();
        var key = NewKey("cancel-all");
        var factoryToken = new TaskCompletionSource<CancellationToken>(TaskCreationOptions.RunContinuationsAsynchronously);
        using var first = new CancellationTokenSource();
        using var second = new CancellationTokenSource();
        Func<CancellationToken, ValueTask<int>> factory = async token =>
        {
            factoryToken.TrySetResult(token);
            await Task.Delay(Timeout.Infinite, token);
            return 1;
        };

        var a = cache.GetOrCreateAsync(key, factory, cancellationToken: first.Token).AsTask();
        var b = cache.GetOrCreateAsync(key, factory, cancellationToken: second.Token).AsTask();
        var token = await factoryToken.Task;
        await first.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => a);
        Assert.False(token.IsCancellationRequested);
        await second.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => b);
        await Eventually.TrueAsync(() => token.IsCancellationRequested, "the factory's token is cancelled once the last caller gave up");
    }

    [Fact]
    public async Task A_caller_whose_token_is_already_cancelled_gets_OperationCanceledException()
    {
        var cache = Node();
        var key = NewKey("pre-cancelled");
        await cache.SetAsync(key, 1);
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await cache.GetOrCreateAsync(key, Returns(2), cancellationToken: cancelled.Token));
    }

    [Fact]
    public async Task A_key_that_cannot_be_cached_still_gets_its_data()
    {
        var cache = Node();
        var runs = 0;

        foreach (var key in new[] { "bad\u0001key", new string('k', 1025) })
        {
            Assert.Equal(1, await cache.GetOrCreateAsync(key, _ => { runs++; return ValueTask.FromResult(1); }));
            Assert.Equal(1, await cache.GetOrCreateAsync(key, _ => { runs++; return ValueTask.FromResult(1); }));
        }

        Assert.Equal(4, runs);
    }

    // ---- serializers ----

    [Fact]
    public async Task A_serializer_added_on_the_builder_writes_and_reads_L2()
    {
        var key = NewKey("ser");
        await Node(b => b.AddSerializer(new WidgetSerializer("serializer"))).SetAsync(key, new Widget("w1"));

        var read = await Node(b => b.AddSerializer(new WidgetSerializer("serializer"))).GetOrCreateAsync(key, Returns(new Widget("factory")));

        Assert.Equal(new Widget("w1", "serializer"), read);
        Assert.StartsWith("widget:", Encoding.UTF8.GetString(Body(await ReadRawAsync(key), "widget:")), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_serializer_factory_added_on_the_builder_is_used()
    {
        var key = NewKey("factory");
        await Node(b => b.AddSerializerFactory(new WidgetSerializerFactory("factory"))).SetAsync(key, new Widget("w2"));

        var read = await Node(b => b.AddSerializerFactory(new WidgetSerializerFactory("factory"))).GetOrCreateAsync(key, Returns(new Widget("none")));

        Assert.Equal(new Widget("w2", "factory"), read);
    }

    [Fact]
    public async Task A_serializer_for_the_type_wins_over_any_factory()
    {
        var key = NewKey("precedence");
        void Both(IHybridCacheBuilder b) => b.AddSerializerFactory(new WidgetSerializerFactory("factory")).AddSerializer(new WidgetSerializer("serializer"));
        await Node(Both).SetAsync(key, new Widget("w3"));

        Assert.Equal(new Widget("w3", "serializer"), await Node(Both).GetOrCreateAsync(key, Returns(new Widget("none"))));
    }

    [Fact]
    public async Task The_factory_added_last_is_asked_first_and_a_declining_one_falls_through()
    {
        var key = NewKey("factories");
        void LastWins(IHybridCacheBuilder b) => b.AddSerializerFactory(new WidgetSerializerFactory("first")).AddSerializerFactory(new WidgetSerializerFactory("second"));
        void Declines(IHybridCacheBuilder b) => b.AddSerializerFactory(new WidgetSerializerFactory("first")).AddSerializerFactory(new DecliningSerializerFactory());
        await Node(LastWins).SetAsync(key, new Widget("w4"));
        await Node(Declines).SetAsync(key + ":2", new Widget("w5"));

        Assert.Equal(new Widget("w4", "second"), await Node(LastWins).GetOrCreateAsync(key, Returns(new Widget("none"))));
        Assert.Equal(new Widget("w5", "first"), await Node(Declines).GetOrCreateAsync(key + ":2", Returns(new Widget("none"))));
    }

    [Fact]
    public async Task Keyed_JsonSerializerOptions_shape_the_default_json()
    {
        var key = NewKey("json-options");
        var options = new JsonSerializerOptions { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };
        void Keyed(IHybridCacheBuilder b) => b.Services.AddKeyedSingleton<JsonSerializerOptions>(typeof(IHybridCacheSerializer<>), options);
        await Node(Keyed).SetAsync(key, new Reading(21.5, "hall"));

        Assert.Equal(new Reading(21.5, "hall"), await Node(Keyed).GetOrCreateAsync(key, Returns(new Reading(0, "none"))));
        Assert.Contains("\"room_name\":\"hall\"", Encoding.UTF8.GetString((await ReadRawAsync(key))!), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Value_tuples_keep_their_fields_through_L2()
    {
        var key = NewKey("tuple");
        await Node().SetAsync(key, (Count: 3, Name: "three"));

        var read = await Node().GetOrCreateAsync(key, Returns((Count: 0, Name: "none")));

        Assert.Equal((3, "three"), read);
    }

    [Fact]
    public async Task L1_hits_return_the_same_instance_or_a_copy_of_a_mutable_type()
    {
        var a = Node();
        var key = NewKey("mutable");
        var first = await a.GetOrCreateAsync(key, Returns(new MutableBox { Value = 1 }));
        first.Value = 2;

        var second = await a.GetOrCreateAsync(key, Returns(new MutableBox { Value = -1 }));

        if (Implementation == CacheImplementation.EventKit)
        {
            // On purpose: EventKit's L1 hands every caller the same instance (no copy per hit); cache immutable types.
            Assert.Same(first, second);
        }
        else
        {
            // Microsoft's deserializes a fresh copy per L1 hit for types it cannot prove immutable.
            Assert.NotSame(first, second);
            Assert.Equal(1, second.Value);
        }
    }

    private static byte[] Body(byte[]? raw, string marker)
    {
        Assert.NotNull(raw);
        var at = raw.AsSpan().IndexOf(Encoding.UTF8.GetBytes(marker));
        Assert.True(at >= 0, $"the raw L2 value holds '{marker}'");
        return raw[at..];
    }
}
