using System.Globalization;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Engines;
using EventKit.Caching.Internal;
using Microsoft.Extensions.Caching.Hybrid;

namespace EventKit.Benchmarks.Caching;

/// <summary>
/// T6: hit ratio under Zipf(s = 1.0) over 100,000 participants. EventKit: L1 sized for 10 % (10,000) + Redis L2;
/// baseline: the seed's L1-only LRU of 1,000 entries. Each invocation replays a 200,000-request warm-up trace, then
/// measures a different 200,000-request trace (another seed), so keys first seen in the measured part still miss; the
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

        _warmup = ZipfTrace(Participants, Requests, s: 1.0, seed: 41);
        _trace = ZipfTrace(Participants, Requests, s: 1.0, seed: 42);
    }

    [Benchmark(Baseline = true, Description = "seed: L1 only, 1,000 entries")]
    public double SeedL1Only() => Run("seed L1-only 1,000", o => o.L1Capacity = 1_000);

    [Benchmark(Description = "EventKit: L1 10,000 (10 %) + Redis L2")]
    public double EventKitL1L2() => Run("EventKit L1 10,000 + L2", o =>
    {
        o.L1Capacity = 10_000;
        o.RedisConfiguration = BenchmarkCaches.Redis;
        o.KeyPrefix = _prefix;
        o.L2Timeout = TimeSpan.FromSeconds(1);
    });

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

    private double Run(string label, Action<EventKit.Caching.HybridCachingOptions> configure)
    {
        using var cache = BenchmarkCaches.Create(configure);
        Replay(cache, _warmup);
        var before = cache.GetSnapshot();
        Replay(cache, _trace);
        var after = cache.GetSnapshot();
        var requests = after.L1Hits + after.L1Misses - before.L1Hits - before.L1Misses;
        var l1 = (double)(after.L1Hits - before.L1Hits) / requests;
        var overall = 1 - ((double)(after.FactoryCalls - before.FactoryCalls) / requests);
        var line = string.Create(CultureInfo.InvariantCulture, $"T6 {label}: requests {requests}, L1 hit ratio {l1:P2}, overall hit ratio {overall:P2}");
        Console.WriteLine(line);
        Directory.CreateDirectory("BenchmarkDotNet.Artifacts");
        File.AppendAllText(Path.Combine("BenchmarkDotNet.Artifacts", "caching-hit-ratio.txt"), line + Environment.NewLine);
        if (cache.HasL2)
        {
            cache.RemoveByPrefixAsync("participant:", CancellationToken.None).AsTask().GetAwaiter().GetResult();
        }

        return overall;
    }

    private void Replay(DefaultHybridCache cache, int[] trace)
    {
        foreach (var id in trace)
        {
            cache.GetOrCreateAsync(_keys[id], id, static (i, _) => ValueTask.FromResult(BenchmarkCaches.Participant(i + 1)), _policy).AsTask().GetAwaiter().GetResult();
        }
    }
}
