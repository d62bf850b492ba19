using EventKit.Caching.Internal;
using EventKit.Testing;

namespace EventKit.Caching.Tests.Internal;

/// <summary>The event configuration through the cache (<c>event_config:{id}</c>), with two cache nodes on the real Redis.</summary>
public sealed class CachedEventDirectoryTests(RedisFixture redis) : IClassFixture<RedisFixture>, IDisposable
{
    private readonly Store _store = new();
    private readonly List<DefaultHybridCache> _caches = [];

    public void Dispose()
    {
        foreach (var cache in _caches)
        {
            cache.Dispose();
        }
    }

    [Fact]
    public async Task The_configuration_is_read_once_under_event_config_and_a_save_is_seen_on_every_node()
    {
        var (directoryA, registryA, cacheA) = Node();
        var (directoryB, _, _) = Node();

        Assert.Equal("Event 7", (await directoryB.GetAsync(7)).Name);
        Assert.Equal("Event 7", (await directoryB.GetAsync(7)).Name);
        Assert.Equal(1, _store.Reads);
        Assert.Equal("Event 7", (await directoryA.GetAsync(7)).Name);

        // The entry's key is event_config:{id}: reading it directly finds the cached JSON without a factory call.
        var cached = await cacheA.GetOrCreateAsync<byte[]>("event_config:7", _ => throw new InvalidOperationException("not cached"));
        Assert.Contains("\"name\":\"Event 7\"", System.Text.Encoding.UTF8.GetString(cached), StringComparison.Ordinal);

        var hours = new Dictionary<GateKind, IReadOnlyList<OpeningHours>> { [GateKind.Entrance] = [new OpeningHours(new(9, 0), new(17, 0), [DayOfWeek.Monday])] };
        await registryA.SaveAsync(EventSettings.Default(7) with { Name = "Renamed", TimeZone = "Asia/Seoul", OpeningHours = hours });

        await Eventually.TrueAsync(async () => (await directoryB.GetAsync(7)).Name == "Renamed", "node B sees the saved configuration");
        var read = await directoryB.GetAsync(7);
        Assert.Equal("Asia/Seoul", read.TimeZone);
        Assert.Equal([DayOfWeek.Monday], read.OpeningHours![GateKind.Entrance][0].Days);
    }

    private (CachedEventDirectory Directory, CachedEventRegistry Registry, DefaultHybridCache Cache) Node()
    {
        var options = new HybridCachingOptions();
        var cache = TestCaches.Create(
            o =>
            {
                o.KeyPrefix = redis.KeyPrefix;
                o.L2Timeout = TimeSpan.FromSeconds(2);
            },
            redis: redis.Configuration);
        _caches.Add(cache);
        return (new CachedEventDirectory(_store, cache, options), new CachedEventRegistry(_store, cache), cache);
    }

    private sealed class Store : IEventDirectory, IEventRegistry
    {
        private readonly System.Collections.Concurrent.ConcurrentDictionary<long, EventSettings> _events = new();
        private int _reads;

        public int Reads => Volatile.Read(ref _reads);

        public ValueTask<EventSettings> GetAsync(long eventId, CancellationToken cancellationToken = default)
        {
            Interlocked.Increment(ref _reads);
            return ValueTask.FromResult(_events.GetOrAdd(eventId, EventSettings.Default));
        }

        public Task<EventSettings> SaveAsync(EventSettings settings, CancellationToken cancellationToken = default)
            => Task.FromResult(_events[settings.Id] = settings with { UpdatedAt = DateTimeOffset.UtcNow });
    }
}
