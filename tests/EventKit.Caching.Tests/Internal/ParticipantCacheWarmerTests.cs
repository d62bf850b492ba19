using System.Runtime.CompilerServices;
using EventKit.Caching.Internal;
using EventKit.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace EventKit.Caching.Tests.Internal;

/// <summary>
/// The start-up participant warmer on real Redis: L1 up to nine tenths of its capacity before start completes, every
/// participant into a cold L2 by one node in the background after it, nothing published.
/// </summary>
public sealed class ParticipantCacheWarmerTests : IClassFixture<RedisFixture>, IDisposable
{
    private const int Participants = 500;
    private readonly RedisFixture redis;
    private readonly List<DefaultHybridCache> _caches = [];
    private readonly ListLogger _logs = new();
    private readonly LoggerFactory _loggers;
    private readonly BackgroundCacheFill _fill;

    public ParticipantCacheWarmerTests(RedisFixture redis)
    {
        this.redis = redis;
        _loggers = new LoggerFactory([_logs]);
        _fill = new BackgroundCacheFill(_loggers.CreateLogger<BackgroundCacheFill>());
    }

    public void Dispose()
    {
        _fill.Dispose();
        _loggers.Dispose();
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
        await _fill.Running;

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
        await _fill.Running;
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

    [Fact]
    public async Task Start_does_not_wait_for_the_L2_fill_and_the_fill_completes_after_it()
    {
        var prefix = redis.KeyPrefix + "background:";
        var export = new Export(Participants) { HoldFrom = 200 };
        var a = Node(prefix);
        var cold = Node(prefix);

        // The export holds every row from the 200th until released: the L1 part (90 rows) finishes, the fill cannot.
        await Warmer(export, o => o.KeyPrefix = prefix).WarmAsync(a, CancellationToken.None).AsTask().WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal(90, a.L1.Count);
        Assert.False(_fill.Running.IsCompleted);
        var last = CachedParticipantDirectory.CredentialKey(export.Items[^1].Credential);
        Assert.False(await redis.Connection.GetDatabase().KeyExistsAsync(prefix + last));

        export.Release();
        await _fill.Running.WaitAsync(TimeSpan.FromSeconds(60));
        Assert.True(await redis.Connection.GetDatabase().KeyExistsAsync(prefix + last));
        Assert.Equal(export.Items[^1].Participant.Id, (await cold.GetOrCreateAsync<Participant?>(last, _ => ValueTask.FromResult<Participant?>(null)))?.Id);
        Assert.Equal(0, cold.GetSnapshot().FactoryCalls);
        Assert.Contains(_logs.Entries, e => e.EventId.Id == 4100 && e.Message.Contains($"{Participants} entries", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Stopping_the_host_cancels_the_fill()
    {
        var prefix = redis.KeyPrefix + "stopped:";
        var export = new Export(Participants) { HoldFrom = 200 };
        await Warmer(export, o => o.KeyPrefix = prefix).WarmAsync(Node(prefix), CancellationToken.None).AsTask().WaitAsync(TimeSpan.FromSeconds(30));
        Assert.False(_fill.Running.IsCompleted);

        // The export is never released: only the stop can end the fill.
        await _fill.StopAsync(CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(30));

        Assert.True(_fill.Running.IsCompletedSuccessfully);
        Assert.Contains(_logs.Entries, e => e.EventId.Id == 4101);
        Assert.DoesNotContain(_logs.Entries, e => e.EventId.Id is 4100 or 4102);
    }

    [Fact]
    public async Task A_failing_fill_is_logged_not_thrown()
    {
        var prefix = redis.KeyPrefix + "failing:";
        var export = new Export(Participants) { FailFrom = 300 };

        // The L1 part reads rows below 300 only, so start succeeds; the fill meets the failure in the background.
        await Warmer(export, o => o.KeyPrefix = prefix).WarmAsync(Node(prefix), CancellationToken.None);
        await _fill.Running.WaitAsync(TimeSpan.FromSeconds(60));

        var failure = Assert.Single(_logs.Entries, e => e.EventId.Id == 4102);
        Assert.Equal(LogLevel.Error, failure.Level);
        Assert.IsType<InvalidOperationException>(failure.Exception);
    }

    private ParticipantCacheWarmer Warmer(Export export, Action<HybridCachingOptions> configure)
    {
        var options = new HybridCachingOptions { L1Capacity = 100 };
        configure(options);
        var services = new ServiceCollection().AddSingleton<IParticipantExport>(export).BuildServiceProvider();
        return new ParticipantCacheWarmer(services, Options.Create(new EventKitOptions { EventId = 1 }), Options.Create(options), _fill);
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
        private readonly TaskCompletionSource _released = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public ParticipantCredential[] Items { get; } = [.. Enumerable.Range(1, count).Select(i => new ParticipantCredential(TestCaches.Participant(i), CredentialHash.Compute($"warm-token-{i:D5}")))];

        /// <summary>Rows from this index on wait for <see cref="Release"/> (a slow, large export).</summary>
        public int HoldFrom { get; init; } = int.MaxValue;

        /// <summary>Reading the row at this index throws (the database went away mid-export).</summary>
        public int FailFrom { get; init; } = int.MaxValue;

        public void Release() => _released.TrySetResult();

        public async IAsyncEnumerable<ParticipantCredential> ReadActiveAsync(long eventId, [EnumeratorCancellation] CancellationToken cancellationToken = default)
        {
            for (var i = 0; i < Items.Length; i++)
            {
                await Task.Yield();
                if (i >= HoldFrom)
                {
                    await _released.Task.WaitAsync(cancellationToken);
                }

                if (i >= FailFrom)
                {
                    throw new InvalidOperationException("The export failed.");
                }

                yield return Items[i];
            }
        }
    }
}
