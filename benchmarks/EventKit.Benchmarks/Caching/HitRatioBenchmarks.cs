using System.Globalization;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Engines;
using EventKit.Caching.Internal;
using Microsoft.Extensions.Caching.Hybrid;
using Microsoft.Extensions.Caching.Memory;

namespace EventKit.Benchmarks.Caching;

/// <summary>
/// T6: hit ratio under Zipf(s = 1.0) over 100,000 participants. EventKit: L1 sized for 10 % (10,000) + Redis L2;
/// baseline: the seed's sketch, a bare MemoryCache LRU of 1,000 entries (and EventKit's cache with the same size). Each invocation replays a 200,000-request warm-up trace, then
/// measures a different 200,000-request trace (another seed), so keys first seen in the measured part still miss
/// (compulsory misses) unless L2 was warmed with every participant first, as an <c>ICacheWarmer</c> would; the
/// ratios (the point of this suite) are printed and written to
/// BenchmarkDotNet.Artifacts/caching-hit-ratio.txt.
/// </summary>
[MemoryDiagnoser]
[SimpleJob(RunStrategy.Monitoring, launchCount: 1, warmupCount: 0, iterationCount: 1, invocationCount: 1)]
public class HitRatioBenchmarks
{
    private const int Participants = 100_000;
    private const int Requests = 200_000;
    private readonly string _prefix = $"ek-bench:{Guid.NewGuid():N}:";
    private readonly HybridCacheEntryOptions _policy = new() { Expiration = TimeSpan.FromMinutes(30), LocalCacheExpiration = TimeSpan.FromMinutes(30) };
    private string[] _keys = null!;
    private string[] _credentialKeys = null!;
    private int[] _warmup = null!;
    private int[] _trace = null!;

    [GlobalSetup]
    public void Setup()
    {
        _keys = new string[Participants];
        for (var i = 0; i < Participants; i++)
        {
            _keys[i] = "participant:id:" + i.ToString(CultureInfo.InvariantCulture);
        }

        // What CachedParticipantDirectory looks scans up by, for the row that runs the product's start-up warmer.
        _credentialKeys = new string[Participants];
        for (var i = 0; i < Participants; i++)
        {
            _credentialKeys[i] = CachedParticipantDirectory.CredentialKey(Credential(i));
        }

        _warmup = ZipfTrace(Participants, Requests, s: 1.0, seed: 41);
        _trace = ZipfTrace(Participants, Requests, s: 1.0, seed: 42);
    }

    /// <summary>Every row once, in order (<c>-- hit-ratio</c>); the ratios go to the console and caching-hit-ratio.txt.</summary>
    public static async Task RunAllAsync()
    {
        var suite = new HitRatioBenchmarks();
        suite.Setup();
        suite.SeedL1Only();
        await suite.EventKitL1Only1000();
        await suite.EventKitL1L2();
        await suite.EventKitWarmed();
        await suite.EventKitColdStartWarmer();
    }

    [Benchmark(Baseline = true, Description = "seed: bare MemoryCache LRU, 1,000 entries")]
    public double SeedL1Only()
    {
        using var lru = new MemoryCache(new MemoryCacheOptions { SizeLimit = 1_000 });
        var entryOptions = new MemoryCacheEntryOptions { Size = 1, AbsoluteExpirationRelativeToNow = _policy.Expiration };
        long hits = 0;
        foreach (var trace in (int[][])[_warmup, _trace])
        {
            hits = 0;
            foreach (var id in trace)
            {
                if (lru.TryGetValue(_keys[id], out _))
                {
                    hits++;
                }
                else
                {
                    lru.Set(_keys[id], BenchmarkCaches.Participant(id + 1), entryOptions);
                }
            }
        }

        var ratio = (double)hits / Requests;
        Report(string.Create(CultureInfo.InvariantCulture, $"T6 seed bare MemoryCache LRU 1,000: requests {Requests}, hit ratio {ratio:P2}"));
        return ratio;
    }

    [Benchmark(Description = "EventKit: L1 only, 1,000 entries")]
    public Task<double> EventKitL1Only1000() => RunAsync("EventKit L1-only 1,000", o => o.L1Capacity = 1_000);

    [Benchmark(Description = "EventKit: L1 10,000 (10 %) + Redis L2")]
    public Task<double> EventKitL1L2() => RunAsync("EventKit L1 10,000 + L2", o =>
    {
        o.L1Capacity = 10_000;
        o.KeyPrefix = _prefix;
        o.L2Timeout = TimeSpan.FromSeconds(1);
    });

    [Benchmark(Description = "EventKit: L1 10,000 + Redis L2 warmed with all participants")]
    public Task<double> EventKitWarmed() => RunAsync(
        "EventKit L1 10,000 + L2 warmed",
        o =>
        {
            o.L1Capacity = 10_000;
            o.KeyPrefix = _prefix;
            o.L2Timeout = TimeSpan.FromSeconds(1);
        },
        warm: true);

    [Benchmark(Description = "EventKit: L1 10,000 + Redis L2, cold start with the product's start-up warmer")]
    public async Task<double> EventKitColdStartWarmer()
    {
        // Empty L1 and an L2 that has never seen these keys (a new prefix): what a first node meets at an event's start.
        // ParticipantCacheWarmer (registered by AddCachedDirectories) streams the event's active participants from storage.
        var prefix = $"ek-bench:{Guid.NewGuid():N}:";
        return await RunAsync(
            "EventKit L1 10,000 + L2, cold start + start-up warmer",
            o =>
            {
                o.L1Capacity = 10_000;
                o.KeyPrefix = prefix;
                o.L2Timeout = TimeSpan.FromSeconds(1);
            },
            keys: _credentialKeys,
            warmer: static async (cache, options) =>
            {
                var services = new Microsoft.Extensions.DependencyInjection.ServiceCollection();
                Microsoft.Extensions.DependencyInjection.ServiceCollectionServiceExtensions.AddSingleton<IParticipantExport>(services, new BenchmarkExport(Participants));

                // The L2 fill runs in the background after start; the traces start once it is done.
                using var fill = new BackgroundCacheFill(Microsoft.Extensions.Logging.Abstractions.NullLogger<BackgroundCacheFill>.Instance);
                var warmer = new ParticipantCacheWarmer(
                    Microsoft.Extensions.DependencyInjection.ServiceCollectionContainerBuilderExtensions.BuildServiceProvider(services),
                    Microsoft.Extensions.Options.Options.Create(new EventKitOptions()),
                    Microsoft.Extensions.Options.Options.Create(options),
                    fill);
                await warmer.WarmAsync(cache, CancellationToken.None);
                await fill.Running;
            });
    }

    private static CredentialHash Credential(int i) => CredentialHash.Compute("token-" + i.ToString(CultureInfo.InvariantCulture));

    private static int[] ZipfTrace(int n, int count, double s, int seed)
    {
        var cumulative = new double[n];
        double sum = 0;
        for (var k = 0; k < n; k++)
        {
            sum += 1 / Math.Pow(k + 1, s);
            cumulative[k] = sum;
        }

        var random = new Random(seed);
        var trace = new int[count];
        for (var i = 0; i < count; i++)
        {
            var index = Array.BinarySearch(cumulative, random.NextDouble() * sum);
            trace[i] = index < 0 ? ~index : index;
        }

        // Shuffle ranks onto ids (the same mapping for every trace) so that hot keys are not simply the lowest ids.
        var permutation = new int[n];
        for (var i = 0; i < n; i++)
        {
            permutation[i] = i;
        }

        new Random(7).Shuffle(permutation);
        for (var i = 0; i < count; i++)
        {
            trace[i] = permutation[Math.Min(trace[i], n - 1)];
        }

        return trace;
    }

    private async Task<double> RunAsync(string label, Action<EventKit.Caching.HybridCachingOptions> configure, bool warm = false, string[]? keys = null, Func<DefaultHybridCache, EventKit.Caching.HybridCachingOptions, ValueTask>? warmer = null)
    {
        using var cache = BenchmarkCaches.Create(configure, redis: label.Contains("L2", StringComparison.Ordinal));
        keys ??= _keys;
        if (warmer is not null)
        {
            var options = new EventKit.Caching.HybridCachingOptions();
            configure(options);
            await warmer(cache, options);
        }

        if (warm)
        {
            // What an ICacheWarmer does at start: every participant into L2 (L1 fills from traffic).
            var l2Only = new HybridCacheEntryOptions { Expiration = _policy.Expiration, Flags = HybridCacheEntryFlags.DisableLocalCacheWrite };
            for (var start = 0; start < Participants; start += 500)
            {
                var batch = new Task[500];
                for (var i = 0; i < batch.Length; i++)
                {
                    batch[i] = cache.SetAsync(_keys[start + i], BenchmarkCaches.Participant(start + i + 1), l2Only).AsTask();
                }

                await Task.WhenAll(batch);
            }
        }

        await ReplayAsync(cache, keys, _warmup);
        var before = cache.GetSnapshot();
        await ReplayAsync(cache, keys, _trace);
        var after = cache.GetSnapshot();
        var requests = after.L1Hits + after.L1Misses - before.L1Hits - before.L1Misses;
        var l1 = (double)(after.L1Hits - before.L1Hits) / requests;
        var overall = 1 - ((double)(after.FactoryCalls - before.FactoryCalls) / requests);
        var line = string.Create(CultureInfo.InvariantCulture, $"T6 {label}: requests {requests}, L1 hit ratio {l1:P2}, overall hit ratio {overall:P2} (L2 hits {after.L2Hits - before.L2Hits}, L2 errors {after.L2Errors})");
        Report(line);
        if (cache.HasL2)
        {
            await cache.RemoveByPrefixAsync("participant:", CancellationToken.None);
            await cache.RemoveByPrefixAsync("warm:", CancellationToken.None);
        }

        return overall;
    }

    private static void Report(string line)
    {
        Console.WriteLine(line);
        Directory.CreateDirectory("BenchmarkDotNet.Artifacts");
        File.AppendAllText(Path.Combine("BenchmarkDotNet.Artifacts", "caching-hit-ratio.txt"), line + Environment.NewLine);
    }

    /// <summary>Awaits each request (no sync-over-async: BenchmarkDotNet's high-priority main thread spinning on a
    /// blocked task starved the Redis client's reader thread on this loaded 2-core machine).</summary>
    private async Task ReplayAsync(DefaultHybridCache cache, string[] keys, int[] trace)
    {
        foreach (var id in trace)
        {
            await cache.GetOrCreateAsync(keys[id], id, static (i, _) => ValueTask.FromResult(BenchmarkCaches.Participant(i + 1)), _policy);
        }
    }

    /// <summary>The event's active participants as storage would stream them (ids 1 to n, credential "token-{id - 1}").</summary>
    private sealed class BenchmarkExport(int count) : IParticipantExport
    {
        public async IAsyncEnumerable<ParticipantCredential> ReadActiveAsync(long eventId, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken = default)
        {
            for (var i = 0; i < count; i++)
            {
                yield return new ParticipantCredential(BenchmarkCaches.Participant(i + 1), Credential(i));
            }

            await Task.CompletedTask;
        }
    }
}
