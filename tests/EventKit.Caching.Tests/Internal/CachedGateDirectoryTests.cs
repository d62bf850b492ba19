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
        return (new CachedGateDirectory(_store, cache, options), new CachedGateRegistry(_store, cache));
    }
}
