using BenchmarkDotNet.Attributes;
using EventKit.Caching.Internal;
using Microsoft.Extensions.Caching.Hybrid;
using StackExchange.Redis;

namespace EventKit.Benchmarks.Caching;

/// <summary>
/// T5: token → participant on an L2 hit (L1 skipped by flag, so every call goes to Redis, decodes the header and
/// deserializes the participant), against a bare StackExchange.Redis <c>StringGetAsync</c> of the same bytes.
/// </summary>
[MemoryDiagnoser]
public class L2HitBenchmarks
{
    private const string Key = "participant:cred:bench";
    private readonly string _prefix = $"ek-bench:{Guid.NewGuid():N}:";
    private readonly Func<CancellationToken, ValueTask<Participant>> _factory = static _ => ValueTask.FromResult(BenchmarkCaches.Participant(1));
    private readonly HybridCacheEntryOptions _l2Only = new() { Expiration = TimeSpan.FromHours(1), Flags = HybridCacheEntryFlags.DisableLocalCache };
    private ConnectionMultiplexer _bare = null!;
    private IDatabase _database = null!;
    private DefaultHybridCache _cache = null!;

    [GlobalSetup]
    public void Setup()
    {
        _bare = ConnectionMultiplexer.Connect(BenchmarkCaches.Redis);
        _database = _bare.GetDatabase();
        _cache = BenchmarkCaches.Create(o =>
        {
            o.KeyPrefix = _prefix;
            o.EnableBackplane = false;
            o.L2Timeout = TimeSpan.FromSeconds(1);
        },
        redis: true);
        _cache.SetAsync(Key, BenchmarkCaches.Participant(1), new HybridCacheEntryOptions { Expiration = TimeSpan.FromHours(1) }).AsTask().GetAwaiter().GetResult();
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _database.KeyDelete(_prefix + Key);
        _cache.Dispose();
        _bare.Dispose();
    }

    [Benchmark(Baseline = true, Description = "bare StringGetAsync")]
    public async Task<byte[]?> BareStringGet() => await _database.StringGetAsync(_prefix + Key);

    [Benchmark(Description = "HybridCache L2 hit")]
    public async Task<Participant> HybridCacheL2Hit() => await _cache.GetOrCreateAsync(Key, _factory, _l2Only);
}
