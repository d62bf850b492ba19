using BenchmarkDotNet.Attributes;
using EventKit.Caching.Internal;
using Microsoft.Extensions.Caching.Hybrid;
using Microsoft.Extensions.Caching.Memory;

namespace EventKit.Benchmarks.Caching;

/// <summary>
/// T4: token → participant on an L1 hit, against a bare <see cref="MemoryCache.TryGetValue(object, out object?)"/>
/// (the seed's in-process LRU), plus a miss that runs the factory.
/// </summary>
[MemoryDiagnoser]
public class L1HitBenchmarks
{
    private const string Key = "participant:cred:4f8b2c6e0a1d3f5b7c9e2a4d6f8b0c1e3a5d7f9b2c4e6a8d0f1b3c5e7a9d2f4b";
    private readonly Func<CancellationToken, ValueTask<Participant>> _factory = static _ => ValueTask.FromResult(BenchmarkCaches.Participant(1));
    private readonly HybridCacheEntryOptions _missOptions = new() { Flags = HybridCacheEntryFlags.DisableLocalCacheRead };
    private MemoryCache _bare = null!;
    private DefaultHybridCache _cache = null!;
    private CachedParticipantDirectory _directory = null!;
    private CredentialHash _credential;

    [GlobalSetup]
    public void Setup()
    {
        _bare = new MemoryCache(new MemoryCacheOptions { SizeLimit = 100_000 });
        _bare.Set(Key, BenchmarkCaches.Participant(1), new MemoryCacheEntryOptions { Size = 1, AbsoluteExpirationRelativeToNow = TimeSpan.FromHours(1) });
        _cache = BenchmarkCaches.Create(o => o.DefaultExpiration = o.DefaultLocalExpiration = TimeSpan.FromHours(1));
        _cache.SetAsync(Key, BenchmarkCaches.Participant(1)).AsTask().GetAwaiter().GetResult();

        var options = new EventKit.Caching.HybridCachingOptions();
        _directory = new CachedParticipantDirectory(new OneParticipant(), _cache, options);
        _credential = CredentialHash.Compute("benchmark-token");
        _directory.FindByCredentialAsync(_credential).AsTask().GetAwaiter().GetResult();
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _cache.Dispose();
        _bare.Dispose();
    }

    [Benchmark(Baseline = true, Description = "bare MemoryCache.TryGetValue")]
    public Participant? BareMemoryCache() => _bare.TryGetValue(Key, out var value) ? (Participant?)value : null;

    [Benchmark(Description = "HybridCache L1 hit")]
    public Participant HybridCacheL1Hit() => _cache.GetOrCreateAsync(Key, _factory).GetAwaiter().GetResult();

    [Benchmark(Description = "CachedParticipantDirectory L1 hit (hash → key → L1)")]
    public Participant? DirectoryL1Hit() => _directory.FindByCredentialAsync(_credential).GetAwaiter().GetResult();

    [Benchmark(Description = "miss → factory (L1 only)")]
    public Participant MissFactory() => _cache.GetOrCreateAsync("miss", _factory, _missOptions).GetAwaiter().GetResult();

    private sealed class OneParticipant : IParticipantDirectory
    {
        public ValueTask<Participant?> FindByCredentialAsync(CredentialHash credential, CancellationToken cancellationToken = default) => ValueTask.FromResult<Participant?>(BenchmarkCaches.Participant(1));

        public ValueTask<Participant?> GetAsync(long participantId, CancellationToken cancellationToken = default) => ValueTask.FromResult<Participant?>(BenchmarkCaches.Participant(participantId));

        public Task<IReadOnlyList<Participant>> GetManyAsync(IReadOnlyCollection<long> participantIds, CancellationToken cancellationToken = default) => Task.FromResult<IReadOnlyList<Participant>>([]);
    }
}
