using System.Globalization;
using Microsoft.Extensions.Options;

namespace EventKit.Monitoring.Internal;

/// <summary>
/// The built-in <c>runtime</c> suggestion source: reads the last 15 minutes of the monitor's windows. A low cache hit
/// ratio becomes an L1 size or lifetime change with the numbers, connection-pool waits a pool size, a slow named query
/// a call to analyse it (the seeds' "average DB query &gt; 500 ms" and "hit rate &lt; target" suggestions).
/// </summary>
internal sealed class RuntimeSuggestionSource(IMetricsMonitor monitor, IOptions<MonitoringOptions> options) : ISuggestionSource
{
    public const string SourceName = "runtime";

    private static readonly TimeSpan Window = TimeSpan.FromMinutes(15);

    public string Name => SourceName;

    public ValueTask<IReadOnlyList<SuggestionFinding>?> FindAsync(CancellationToken cancellationToken)
    {
        var o = options.Value.Suggestions;
        var findings = new List<SuggestionFinding>();
        Cache(o, findings);
        Pool(findings);
        SlowQueries(o, findings);
        return ValueTask.FromResult<IReadOnlyList<SuggestionFinding>?>(findings);
    }

    private void Cache(SuggestionsOptions o, List<SuggestionFinding> findings)
    {
        var lookups = Total("cache.requests", Tags("cache.tier", "l1"));
        if (lookups < o.MinimumCacheLookups)
        {
            return;
        }

        var hits = Total("cache.requests", Tags("cache.request.type", "hit"));
        var ratio = hits / lookups;
        if (ratio >= o.CacheHitRatioTarget)
        {
            return;
        }

        var l1Hits = Total("cache.requests", new Dictionary<string, string>(StringComparer.Ordinal) { ["cache.tier"] = "l1", ["cache.request.type"] = "hit" });
        var l2 = Total("cache.requests", Tags("cache.tier", "l2"));
        var l2Hits = Total("cache.requests", new Dictionary<string, string>(StringComparer.Ordinal) { ["cache.tier"] = "l2", ["cache.request.type"] = "hit" });
        var evictions = Total("eventkit.cache.evictions", null);
        var entries = monitor.GetStatistics("eventkit.cache.l1.entries", null, Window)?.Max;
        var evidence = Invariant($"Last 15 min: {lookups:N0} lookups, {ratio:P1} hit overall (target {o.CacheHitRatioTarget:P0}); L1 {l1Hits / lookups:P1} hit; L2 {(l2 > 0 ? (l2Hits / l2).ToString("P1", CultureInfo.InvariantCulture) : "n/a")} of {l2:N0}; {evictions:N0} L1 evictions; up to {entries ?? 0:N0} L1 entries.");
        string action, effect;
        if (evictions > 0.05 * lookups && entries is > 0)
        {
            // Entries are pushed out before they are asked for again: L1 is too small for the working set.
            var wanted = Math.Ceiling(entries.Value * 2 / 1000) * 1000;
            action = Invariant($"EventKit:Caching:L1Capacity = {wanted:F0} (L1 holds {entries:N0} entries and evicted {evictions:N0} in 15 min).");
            effect = Invariant($"Up to {Math.Min(evictions, lookups - hits):N0} of the {lookups - hits:N0} misses in 15 min were evicted entries; keeping them raises the hit ratio toward {Math.Min(1, (hits + Math.Min(evictions, lookups - hits)) / lookups):P0}, at the memory of the extra entries.");
        }
        else
        {
            // Few evictions: entries expire (or keys are cold) before they are asked for again.
            action = "EventKit:Caching:DefaultExpiration = 00:10:00 and EventKit:Caching:DefaultLocalExpiration = 00:10:00 (5 min each by default), or a cache warmer (ICacheWarmer) for the keys every check-in needs.";
            effect = Invariant($"{lookups - hits:N0} misses in 15 min went to PostgreSQL; entries that live twice as long miss about half as often when the same keys come back, at the cost of staler reads (writes still invalidate).");
        }

        findings.Add(new SuggestionFinding("cache_hit_ratio_low", Invariant($"Cache hit ratio {ratio:P0} is below {o.CacheHitRatioTarget:P0}"), evidence, action, effect, AlertSeverity.Warning));
    }

    private void Pool(List<SuggestionFinding> findings)
    {
        var pending = monitor.GetStatistics("db.client.connection.npgsql.pending_requests", null, Window)?.Max ?? 0;
        var timeouts = Total("db.client.connection.npgsql.timeouts", null);
        if (pending <= 0 && timeouts <= 0)
        {
            return;
        }

        var max = monitor.GetStatistics("db.client.connection.max", null, Window)?.Last;
        var used = monitor.GetStatistics("db.client.connection.count", null, Window)?.Max;
        var wanted = max is { } m ? Math.Max(Math.Ceiling(m * 1.5), m + pending) : (double?)null;
        findings.Add(new SuggestionFinding(
            "pool_waits",
            "Requests wait for a database connection",
            Invariant($"Last 15 min: up to {pending:N0} requests waited for a pooled connection, {timeouts:N0} gave up (db.client.connection.npgsql.pending_requests / timeouts); pool maximum {(max is null ? "unknown" : max.Value.ToString("N0", CultureInfo.InvariantCulture))} over the data sources, up to {used ?? 0:N0} connections open."),
            wanted is { } w
                ? Invariant($"EventKit:Storage:MaxPoolSize = {w:F0} per node (check PostgreSQL's max_connections ≥ nodes × {w:F0} + maintenance), or fewer concurrent requests per node (scale out).")
                : "Raise EventKit:Storage:MaxPoolSize (check PostgreSQL's max_connections), or scale out.",
            "Requests stop queueing for a connection: the wait disappears from their latency, and connect timeouts (503s) stop.",
            timeouts > 0 ? AlertSeverity.Critical : AlertSeverity.Warning));
    }

    private void SlowQueries(SuggestionsOptions o, List<SuggestionFinding> findings)
    {
        foreach (var series in monitor.GetSnapshot().Series)
        {
            if (series.Instrument != "db.client.operation.duration" || !series.Tags.TryGetValue("db.query.name", out var query) || query.Length == 0)
            {
                continue;
            }

            var stats = series.FifteenMinutes;
            if (stats.Total < 10 || stats.Average is not { } mean || mean < o.SlowQueryMean.TotalSeconds)
            {
                continue;
            }

            findings.Add(new SuggestionFinding(
                "slow_query:" + query,
                Invariant($"{query} averages {mean * 1000:F0} ms"),
                Invariant($"Last 15 min: {stats.Total:N0} runs of {query}, mean {mean * 1000:F0} ms, p95 {(stats.P95 ?? 0) * 1000:F0} ms, max {(stats.Max ?? 0) * 1000:F0} ms (threshold {o.SlowQueryMean.TotalMilliseconds:F0} ms)."),
                "Run the analyzer now (POST /eventkit/suggestions/run, or the analyze_queries action) and apply its index or partition advice for this query; QueryAnalyzer.AnalyzeAsync explains it with EXPLAIN (ANALYZE, BUFFERS).",
                Invariant($"The seeds' target is under 100 ms per query; at {stats.RatePerSecond:F1} runs/s this query spends {mean * stats.RatePerSecond:F2} s of database time per second."),
                AlertSeverity.Warning));
        }
    }

    private double Total(string instrument, Dictionary<string, string>? tags) => monitor.GetStatistics(instrument, tags, Window)?.Total ?? 0;

    private static Dictionary<string, string> Tags(string name, string value) => new(StringComparer.Ordinal) { [name] = value };

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
