using System.Runtime.CompilerServices;
using EventKit.Caching.Internal;
using EventKit.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace EventKit.Caching.Tests.Internal;

/// <summary>The start-up participant warmer on real Redis: L1 up to nine tenths of its capacity, every participant into a cold L2 by one node, nothing published.</summary>
public sealed class ParticipantCacheWarmerTests(RedisFixture redis) : IClassFixture<RedisFixture>, IDisposable
{
    private const int Participants = 500;
    private readonly List<DefaultHybridCache> _caches = [];

    public void Dispose()
    {
        foreach (var cache in _caches)
        {
            cache.Dispose();
        }
    }

    [Fact]
    public async Task The_first_node_fills_a_cold_L2_with_every_participant_without_a_backplane_message()
    {
        var prefix = redis.KeyPrefix + "fill:";
        var export = new Export(Participants);
        var a = Node(prefix);
        var b = Node(prefix);
        var cold = Node(prefix);

        await Warmer(export, o => o.KeyPrefix = prefix).WarmAsync(a, CancellationToken.None);

        // Node A holds nine tenths of its L1 capacity; every participant is in L2, so a node with an empty L1 runs no factory.
        Assert.Equal(90, a.L1.Count);
        Assert.Equal(0, a.GetSnapshot().BackplaneSent);
        foreach (var item in export.Items)
        {
            var found = await cold.GetOrCreateAsync<Participant?>(CachedParticipantDirectory.CredentialKey(item.Credential), _ => ValueTask.FromResult<Participant?>(null));
            Assert.Equal(item.Participant.Id, found?.Id);
        }

        Assert.Equal(0, cold.GetSnapshot().FactoryCalls);
        Assert.Equal(Participants, cold.GetSnapshot().L2Hits);

        // A second node starting within the participant lifetime warms only its own L1: the claim is taken, so keys
        // removed from L2 behind its back stay removed.
        var removed = export.Items[^10..].Select(i => (StackExchange.Redis.RedisKey)(prefix + CachedParticipantDirectory.CredentialKey(i.Credential))).ToArray();
        Assert.Equal(10, await redis.Connection.GetDatabase().KeyDeleteAsync(removed));
        await Warmer(export, o => o.KeyPrefix = prefix).WarmAsync(b, CancellationToken.None);
        Assert.Equal(90, b.L1.Count);
        Assert.Equal(0, b.GetSnapshot().BackplaneSent);
        Assert.Equal(0, await redis.Connection.GetDatabase().KeyExistsAsync(removed));
    }

    [Fact]
    public async Task Without_L2_warming_only_the_nodes_own_L1_is_filled()
    {
        var prefix = redis.KeyPrefix + "nofill:";
        var export = new Export(Participants);
        var a = Node(prefix, o => o.WarmParticipantsIntoL2 = false);
        var cold = Node(prefix);

        await Warmer(export, o =>
        {
            o.KeyPrefix = prefix;
            o.WarmParticipantsIntoL2 = false;
        }).WarmAsync(a, CancellationToken.None);

        Assert.Equal(90, a.L1.Count);
        Assert.Empty(redis.Connection.GetServers()[0].Keys(pattern: prefix + "*"));
        var item = export.Items[Participants - 1];
        await cold.GetOrCreateAsync<Participant?>(CachedParticipantDirectory.CredentialKey(item.Credential), _ => ValueTask.FromResult<Participant?>(null));
        Assert.Equal(1, cold.GetSnapshot().FactoryCalls);
    }

    private static ParticipantCacheWarmer Warmer(Export export, Action<HybridCachingOptions> configure)
    {
        var options = new HybridCachingOptions { L1Capacity = 100 };
        configure(options);
        var services = new ServiceCollection().AddSingleton<IParticipantExport>(export).BuildServiceProvider();
        return new ParticipantCacheWarmer(services, Options.Create(new EventKitOptions { EventId = 1 }), Options.Create(options));
    }

    private DefaultHybridCache Node(string prefix, Action<HybridCachingOptions>? configure = null)
    {
        var cache = TestCaches.Create(
            o =>
            {
                o.KeyPrefix = prefix;
                o.L1Capacity = 100;
                o.L2Timeout = TimeSpan.FromSeconds(2);
                configure?.Invoke(o);
            },
            redis: redis.Configuration);
        _caches.Add(cache);
        return cache;
    }

    private sealed class Export(int count) : IParticipantExport
    {
        public ParticipantCredential[] Items { get; } = [.. Enumerable.Range(1, count).Select(i => new ParticipantCredential(TestCaches.Participant(i), CredentialHash.Compute($"warm-token-{i:D5}")))];

        public async IAsyncEnumerable<ParticipantCredential> ReadActiveAsync(long eventId, [EnumeratorCancellation] CancellationToken cancellationToken = default)
        {
            foreach (var item in Items)
            {
                await Task.Yield();
                yield return item;
            }
        }
    }
}
