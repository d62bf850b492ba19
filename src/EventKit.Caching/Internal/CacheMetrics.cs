using System.Collections.Concurrent;
using System.Diagnostics.Metrics;

namespace EventKit.Caching.Internal;

/// <summary>
/// The cache's counters and instruments. Hot-path counts are plain fields bumped with <see cref="Interlocked"/> and
/// read by observable instruments, so an L1 hit never pays for a metrics listener.
/// </summary>
internal sealed class CacheMetrics
{
    private const int MaxPrefixes = 256;
    private const string OtherPrefix = "(other)";

    private readonly ConcurrentDictionary<string, PrefixCounters> _prefixes = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, PrefixCounters>.AlternateLookup<ReadOnlySpan<char>> _prefixesBySpan;
    private readonly Histogram<double> _factoryDuration;
    private readonly Counter<long> _l2Errors;
    private readonly Counter<long> _evictions;
    private readonly Counter<long> _backplane;
    private readonly KeyValuePair<string, object?> _nameTag;

    public long L1Hits;
    public long L1Misses;
    public long L2Hits;
    public long L2Misses;
    public long L2Reads;
    public long FactoryCalls;
    public long L2ErrorCount;
    public long EvictionCount;
    public long BackplaneSent;
    public long BackplaneReceived;

    public CacheMetrics(IMeterFactory meterFactory, string cacheName, Func<bool> circuitOpen, Func<long> l1Entries)
    {
        _prefixesBySpan = _prefixes.GetAlternateLookup<ReadOnlySpan<char>>();
        var meter = meterFactory.Create(EventKitDiagnostics.Caching);
        _nameTag = new("cache.name", cacheName);
        KeyValuePair<string, object?>[] Tags(string tier, string type) => [_nameTag, new("cache.tier", tier), new("cache.request.type", type)];
        var l1Hit = Tags("l1", "hit");
        var l1Miss = Tags("l1", "miss");
        var l2Hit = Tags("l2", "hit");
        var l2Miss = Tags("l2", "miss");
        meter.CreateObservableCounter(
            "cache.requests",
            () => new Measurement<long>[]
            {
                new(Volatile.Read(ref L1Hits), l1Hit),
                new(Volatile.Read(ref L1Misses), l1Miss),
                new(Volatile.Read(ref L2Hits), l2Hit),
                new(Volatile.Read(ref L2Misses), l2Miss),
            },
            "{request}",
            "Cache lookups per tier and outcome.");
        _factoryDuration = meter.CreateHistogram(
            "eventkit.cache.factory.duration",
            "s",
            "Time spent in value factories after L1 and L2 missed.",
            tags: null,
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5] });
        meter.CreateObservableCounter("eventkit.cache.l2.reads", () => new Measurement<long>(Volatile.Read(ref L2Reads), _nameTag), "{call}", "Redis round trips that read L2 (one per GET, one per batched MGET).");
        _l2Errors = meter.CreateCounter<long>("eventkit.cache.l2.errors", "{error}", "L2 calls that failed or exceeded the timeout budget.");
        meter.CreateObservableGauge("eventkit.cache.l2.circuit.state", () => new Measurement<int>(circuitOpen() ? 1 : 0, _nameTag), "{state}", "1 while the L2 circuit is open (Redis skipped), else 0.");
        _evictions = meter.CreateCounter<long>("eventkit.cache.evictions", "{entry}", "L1 entries evicted, by reason.");
        _backplane = meter.CreateCounter<long>("eventkit.cache.backplane.messages", "{message}", "Backplane messages sent to or received from other nodes.");
        meter.CreateObservableUpDownCounter("eventkit.cache.l1.entries", () => new Measurement<long>(l1Entries(), _nameTag), "{entry}", "Entries in L1.");
    }

    public PrefixCounters ForKey(string key)
    {
        var colon = key.IndexOf(':', StringComparison.Ordinal);

        // Looked up by span: every L1 miss passes here, and a substring per miss is garbage for nothing.
        if (_prefixesBySpan.TryGetValue(colon < 0 ? key : key.AsSpan(0, colon), out var counters))
        {
            return counters;
        }

        var prefix = colon < 0 ? key : key[..colon];

        // Bounded: keys without a recognisable prefix must not grow this map without limit.
        return _prefixes.Count >= MaxPrefixes
            ? _prefixes.GetOrAdd(OtherPrefix, static _ => new PrefixCounters())
            : _prefixes.GetOrAdd(prefix, static _ => new PrefixCounters());
    }

    public IReadOnlyDictionary<string, PrefixStatistics> PrefixSnapshot()
    {
        var result = new Dictionary<string, PrefixStatistics>(StringComparer.Ordinal);
        foreach (var (prefix, counters) in _prefixes)
        {
            result[prefix] = new PrefixStatistics(Volatile.Read(ref counters.Hits), Volatile.Read(ref counters.Misses));
        }

        return result;
    }

    public void FactoryDuration(double seconds)
    {
        Interlocked.Increment(ref FactoryCalls);
        _factoryDuration.Record(seconds, _nameTag);
    }

    public void L2Error(string errorType)
    {
        Interlocked.Increment(ref L2ErrorCount);
        _l2Errors.Add(1, _nameTag, new("error.type", errorType));
    }

    public void Evicted(string reason)
    {
        Interlocked.Increment(ref EvictionCount);
        _evictions.Add(1, _nameTag, new("cache.eviction.reason", reason));
    }

    public void Backplane(bool sent)
    {
        Interlocked.Increment(ref sent ? ref BackplaneSent : ref BackplaneReceived);
        _backplane.Add(1, _nameTag, new("direction", sent ? "sent" : "received"));
    }
}
