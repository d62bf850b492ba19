using EventKit.Caching.Internal;
using EventKit.Testing;

namespace EventKit.Caching.Tests.Internal;

/// <summary>The cached participant directory over a counting in-test store, with two cache nodes on the real Redis.</summary>
public sealed class CachedParticipantDirectoryTests(RedisFixture redis) : IClassFixture<RedisFixture>, IDisposable
{
    private readonly InMemoryDirectories _store = new();
    private readonly List<DefaultHybridCache> _caches = [];

    public void Dispose()
    {
        foreach (var cache in _caches)
        {
            cache.Dispose();
        }
    }

    [Fact]
    public async Task Credential_lookups_hit_the_store_once()
    {
        var (directory, _) = Node();
        var ids = await _store.RegisterAsync(1, [new NewParticipant("Ada", "token-ada")]);

        for (var i = 0; i < 10; i++)
        {
            var found = await directory.FindByCredentialAsync(CredentialHash.Compute("token-ada"));
            Assert.Equal(ids[0], found!.Id);
        }

        Assert.Equal(1, _store.CredentialReads);
    }

    [Fact]
    public async Task Cache_keys_carry_the_hash_hex_never_the_token()
    {
        var (directory, _) = Node();
        await _store.RegisterAsync(1, [new NewParticipant("Ada", "secret-token-123")]);

        await directory.FindByCredentialAsync(CredentialHash.Compute("secret-token-123"));

        var key = CachedParticipantDirectory.CredentialKey(CredentialHash.Compute("secret-token-123"));
        Assert.Equal("participant:cred:" + CredentialHash.Compute("secret-token-123"), key);
        Assert.True(await redis.Connection.GetDatabase().KeyExistsAsync(redis.KeyPrefix + key));
        Assert.DoesNotContain("secret-token-123", key, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Unknown_credentials_are_negatively_cached_and_registration_clears_that()
    {
        var (directory, registry) = Node();
        var credential = CredentialHash.Compute("not-yet");

        for (var i = 0; i < 100; i++)
        {
            Assert.Null(await directory.FindByCredentialAsync(credential));
        }

        Assert.Equal(1, _store.CredentialReads);
        await registry.RegisterAsync(1, [new NewParticipant("Late", "not-yet")]);

        Assert.NotNull(await directory.FindByCredentialAsync(credential));
    }

    [Fact]
    public async Task A_thousand_concurrent_lookups_of_one_unknown_credential_cost_one_store_call()
    {
        // The store answers only when the test lets it, so every lookup below arrives while the first is still out.
        var gated = new GatedDirectory(_store);
        var cache = TestCaches.Create(o => o.KeyPrefix = redis.KeyPrefix + "burst:", redis: redis.Configuration);
        _caches.Add(cache);
        var directory = new CachedParticipantDirectory(gated, cache, new HybridCachingOptions { KeyPrefix = redis.KeyPrefix + "burst:" });
        var credential = CredentialHash.Compute("unknown-" + Guid.NewGuid().ToString("N"));

        var lookups = new Task<Participant?>[1000];
        for (var i = 0; i < lookups.Length; i++)
        {
            lookups[i] = directory.FindByCredentialAsync(credential).AsTask();
        }

        await Eventually.TrueAsync(() => Volatile.Read(ref gated.Calls) >= 1, "the first lookup reaches the store");
        gated.Release();
        var found = await Task.WhenAll(lookups);

        Assert.All(found, Assert.Null);
        Assert.Equal(1, gated.Calls);

        // And the "not found" is cached: the next burst costs the store nothing.
        await Task.WhenAll(Enumerable.Range(0, 100).Select(_ => directory.FindByCredentialAsync(credential).AsTask()));
        Assert.Equal(1, gated.Calls);
    }

    [Fact]
    public async Task Registration_writes_new_active_participants_through_to_this_nodes_L1()
    {
        var (directory, registry) = Node();
        var ids = await registry.RegisterAsync(7, [new NewParticipant("Fresh", "fresh-token", "f@example.org"), new NewParticipant("Barred", "barred-token", Status: ParticipantStatus.Revoked)]);

        var fresh = await directory.FindByCredentialAsync(CredentialHash.Compute("fresh-token"));
        Assert.Equal(ids[0], fresh!.Id);
        Assert.Equal(7, fresh.EventId);
        Assert.Equal("f@example.org", fresh.Email);
        Assert.Equal(0, _store.CredentialReads);

        // Inactive participants are not written through (an active holder of the same token must win).
        Assert.Equal(ParticipantStatus.Revoked, (await directory.FindByCredentialAsync(CredentialHash.Compute("barred-token")))!.Status);
        Assert.Equal(1, _store.CredentialReads);
    }

    [Fact]
    public async Task A_status_change_on_one_node_is_seen_by_credential_and_id_lookups_on_another()
    {
        var (directoryA, registryA) = Node();
        var (directoryB, _) = Node();
        var id = (await registryA.RegisterAsync(1, [new NewParticipant("Bo", "token-bo")]))[0];
        Assert.True((await directoryB.FindByCredentialAsync(CredentialHash.Compute("token-bo")))!.IsActive);
        Assert.True((await directoryB.GetAsync(id))!.IsActive);

        await registryA.SetStatusAsync(id, ParticipantStatus.Revoked);

        await Eventually.TrueAsync(async () => (await directoryB.FindByCredentialAsync(CredentialHash.Compute("token-bo")))!.Status == ParticipantStatus.Revoked, "node B sees the revocation by credential");
        Assert.Equal(ParticipantStatus.Revoked, (await directoryB.GetAsync(id))!.Status);
        Assert.Equal(ParticipantStatus.Revoked, (await directoryA.FindByCredentialAsync(CredentialHash.Compute("token-bo")))!.Status);
    }

    [Fact]
    public async Task A_replaced_credential_stops_resolving_and_the_new_one_resolves()
    {
        var (directoryA, registryA) = Node();
        var (directoryB, _) = Node();
        var id = (await registryA.RegisterAsync(1, [new NewParticipant("Cy", "old-token")]))[0];
        Assert.NotNull(await directoryB.FindByCredentialAsync(CredentialHash.Compute("old-token")));
        Assert.Null(await directoryB.FindByCredentialAsync(CredentialHash.Compute("new-token")));

        await registryA.ReplaceCredentialAsync(id, "new-token");

        await Eventually.TrueAsync(async () => await directoryB.FindByCredentialAsync(CredentialHash.Compute("old-token")) is null, "node B no longer resolves the old credential");
        Assert.Equal(id, (await directoryB.FindByCredentialAsync(CredentialHash.Compute("new-token")))!.Id);
        Assert.Null(await directoryA.FindByCredentialAsync(CredentialHash.Compute("old-token")));
    }

    [Fact]
    public async Task GetMany_reads_only_the_missing_ids_in_one_batch()
    {
        var (directory, registry) = Node();
        var ids = await registry.RegisterAsync(1, [new NewParticipant("A", "t-a"), new NewParticipant("B", "t-b"), new NewParticipant("C", "t-c")]);
        await directory.GetAsync(ids[0]);

        var all = await directory.GetManyAsync([ids[0], ids[1], ids[2], 999_999]);
        var again = await directory.GetManyAsync([ids[1], ids[2]]);

        Assert.Equal(3, all.Count);
        Assert.Equal(2, again.Count);
        Assert.Equal(1, _store.BatchReads);
    }

    [Fact]
    public async Task A_batch_read_that_loads_from_the_store_sends_nothing_on_the_backplane()
    {
        // A prefix of its own: other tests of this class cache the same small ids.
        var prefix = redis.KeyPrefix + "batch:";
        var (directory, _) = Node(prefix);
        var ids = await _store.RegisterAsync(1, [new NewParticipant("R1", "t-r1"), new NewParticipant("R2", "t-r2")]);
        var messages = 0;
        var channel = new StackExchange.Redis.RedisChannel(prefix + "__backplane", StackExchange.Redis.RedisChannel.PatternMode.Literal);
        var subscriber = redis.Connection.GetSubscriber();
        await subscriber.SubscribeAsync(channel, (_, _) => Interlocked.Increment(ref messages));
        var readsBefore = _store.BatchReads;

        var loaded = await directory.GetManyAsync(ids);

        // A probe published afterwards arrives, so the subscription works; the read sent nothing before it.
        await subscriber.PublishAsync(channel, "probe");
        await Eventually.TrueAsync(() => Volatile.Read(ref messages) >= 1, "the probe arrives");
        Assert.Equal(1, Volatile.Read(ref messages));
        Assert.Equal(2, loaded.Count);
        Assert.Equal(readsBefore + 1, _store.BatchReads);

        // And the loaded entries are cached: the next read costs the store nothing.
        await directory.GetManyAsync(ids);
        Assert.Equal(readsBefore + 1, _store.BatchReads);
        await subscriber.UnsubscribeAsync(channel);
    }

    [Fact]
    public async Task GetMany_on_a_cold_node_reads_every_L2_entry_in_one_round_trip()
    {
        var prefix = redis.KeyPrefix + "mget:";
        var (warm, _) = Node(prefix);
        var ids = await _store.RegisterAsync(1, [new NewParticipant("M1", "t-m1"), new NewParticipant("M2", "t-m2"), new NewParticipant("M3", "t-m3")]);
        Assert.Equal(3, (await warm.GetManyAsync(ids)).Count);
        // The cold node's clock stands still: no timer of its own (Redis epoch checks, memory compaction) may clear its L1
        // between the two reads below; what is measured is round trips, not lifetimes.
        var (cold, _) = Node(prefix, new Microsoft.Extensions.Time.Testing.FakeTimeProvider(DateTimeOffset.UtcNow));
        var coldCache = _caches[^1];
        var storeReads = _store.BatchReads;
        var l2Reads = coldCache.Metrics.L2Reads;

        var loaded = await cold.GetManyAsync(ids);

        Assert.Equal(ids.Order(), loaded.Select(p => p.Id).Order());
        Assert.Equal(storeReads, _store.BatchReads);
        Assert.Equal(l2Reads + 1, coldCache.Metrics.L2Reads);

        // Now in the cold node's L1: no round trip at all.
        await cold.GetManyAsync(ids);
        Assert.Equal(l2Reads + 1, coldCache.Metrics.L2Reads);
    }

    /// <summary>A store whose credential lookups wait for <see cref="Release"/>, counting the calls that reach it.</summary>
    private sealed class GatedDirectory(IParticipantDirectory inner) : IParticipantDirectory
    {
        private readonly TaskCompletionSource _open = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public int Calls;

        public void Release() => _open.TrySetResult();

        public async ValueTask<Participant?> FindByCredentialAsync(CredentialHash credential, CancellationToken cancellationToken = default)
        {
            Interlocked.Increment(ref Calls);
            await _open.Task.WaitAsync(cancellationToken);
            return await inner.FindByCredentialAsync(credential, cancellationToken);
        }

        public ValueTask<Participant?> GetAsync(long participantId, CancellationToken cancellationToken = default) => inner.GetAsync(participantId, cancellationToken);

        public Task<IReadOnlyList<Participant>> GetManyAsync(IReadOnlyCollection<long> participantIds, CancellationToken cancellationToken = default) => inner.GetManyAsync(participantIds, cancellationToken);
    }

    private (CachedParticipantDirectory Directory, CachedParticipantRegistry Registry) Node(string? prefix = null, TimeProvider? time = null)
    {
        var options = new HybridCachingOptions { KeyPrefix = prefix ?? redis.KeyPrefix, L2Timeout = TimeSpan.FromSeconds(2) };
        var cache = TestCaches.Create(
            o =>
            {
                o.KeyPrefix = options.KeyPrefix;
                o.L2Timeout = options.L2Timeout;
            },
            time,
            redis: redis.Configuration);
        _caches.Add(cache);
        return (new CachedParticipantDirectory(_store, cache, options), new CachedParticipantRegistry(_store, cache, options, new CredentialHasher(pepper: null)));
    }
}
