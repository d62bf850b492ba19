using EventKit.Caching.Internal;
using EventKit.Testing;

namespace EventKit.Caching.Tests.Internal;

/// <summary>The cached gate directory over a counting in-test store, with two cache nodes on the real Redis.</summary>
public sealed class CachedGateDirectoryTests(RedisFixture redis) : IClassFixture<RedisFixture>, IDisposable
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
    public async Task Gates_are_read_once_and_closing_a_gate_is_seen_on_every_node()
    {
        var (directoryA, registryA) = Node();
        var (directoryB, _) = Node();
        var gate = await registryA.CreateAsync(1, "North", GateKind.Entrance, isOpen: true);
        Assert.True((await directoryB.GetAsync(gate.Id))!.IsOpen);
        Assert.True((await directoryB.GetAllAsync(1))[0].IsOpen);
        var reads = _store.GateReads;
        await directoryB.GetAsync(gate.Id);
        Assert.Equal(reads, _store.GateReads);

        await registryA.SetOpenAsync(gate.Id, false);

        await Eventually.TrueAsync(async () => !(await directoryB.GetAsync(gate.Id))!.IsOpen, "node B sees the gate closed");
        Assert.False((await directoryB.GetAllAsync(1))[0].IsOpen);
    }

    [Fact]
    public async Task A_new_gate_appears_in_the_event_list()
    {
        var (directory, registry) = Node();
        await registry.CreateAsync(2, "One", GateKind.Entrance, isOpen: true);
        Assert.Single(await directory.GetAllAsync(2));

        await registry.CreateAsync(2, "Two", GateKind.Exit, isOpen: true);

        Assert.Equal(2, (await directory.GetAllAsync(2)).Count);
    }

    [Fact]
    public async Task Entries_tagged_with_the_events_gates_are_dropped_on_every_node_when_a_gate_changes()
    {
        var (_, registryA) = Node();
        Node();
        var cacheB = _caches[^1];
        var gate = await registryA.CreateAsync(3, "North", GateKind.Entrance, isOpen: true);
        var computed = 0;
        async Task<int> ReadOnBAsync() => await cacheB.GetOrCreateAsync(
            "stats:overall:3",
            _ => ValueTask.FromResult(Interlocked.Increment(ref computed)),
            tags: [EventKitCacheTags.Gates(3)]);
        Assert.Equal(1, await ReadOnBAsync());
        Assert.Equal(1, await ReadOnBAsync());

        await registryA.SetOpenAsync(gate.Id, false);
        await Eventually.TrueAsync(async () => await ReadOnBAsync() == 2, "node B recomputes after the gate was closed on A");

        await registryA.CreateAsync(3, "South", GateKind.Exit, isOpen: true);
        await Eventually.TrueAsync(async () => await ReadOnBAsync() == 3, "node B recomputes after a gate was created on A");
    }

    private (CachedGateDirectory Directory, CachedGateRegistry Registry) Node()
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
        var directory = new CachedGateDirectory(_store, cache, options);
        return (directory, new CachedGateRegistry(_store, directory, cache));
    }
}
