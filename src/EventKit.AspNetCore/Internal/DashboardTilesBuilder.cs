using EventKit.Monitoring;

namespace EventKit.AspNetCore.Internal;

/// <summary>Reads the dashboard's tiles and charts from <see cref="IMetricsMonitor"/>: the same numbers <c>/eventkit/metrics</c> and the page show.</summary>
internal static class DashboardTilesBuilder
{
    private const string Outcomes = "eventkit.checkin.outcomes";
    private const string CheckInDuration = "eventkit.checkin.duration";
    private const string HttpDuration = "http.server.request.duration";
    private const string CacheRequests = "cache.requests";
    private const string Cpu = "container.cpu.limit.utilization";
    private const string Memory = "container.memory.limit.utilization";
    private static readonly TimeSpan Chart = TimeSpan.FromMinutes(15);

    public static DashboardTiles Tiles(IMetricsMonitor monitor, MetricsSnapshot snapshot, IAlertManager? alerts, TimeSpan window)
    {
        var outcomes = new Dictionary<string, double>(StringComparer.Ordinal);
        var dbP95 = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (var series in snapshot.Series)
        {
            var stats = Pick(series, window);
            if (series.Instrument == Outcomes && series.Tags.TryGetValue("eventkit.checkin.status", out var status) && stats.Total > 0)
            {
                outcomes[status] = stats.Total;
            }
            else if (series.Instrument == "db.client.operation.duration" && series.Tags.TryGetValue("db.query.name", out var query) && stats.P95 is { } p95)
            {
                // Npgsql's own instrument of the same name has no query name: it is every command on the data source.
                dbP95[query.Length == 0 ? "(all commands)" : query] = p95;
            }
        }

        var cache = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (var tier in (string[])["l1", "l2"])
        {
            var all = monitor.GetStatistics(CacheRequests, Tag("cache.tier", tier), window)?.Total ?? 0;
            if (all > 0)
            {
                var hits = monitor.GetStatistics(CacheRequests, new Dictionary<string, string> { ["cache.tier"] = tier, ["cache.request.type"] = "hit" }, window)?.Total ?? 0;
                cache[tier] = hits / all;
            }
        }

        var lookups = monitor.GetStatistics(CacheRequests, Tag("cache.tier", "l1"), window)?.Total ?? 0;
        if (lookups > 0)
        {
            cache["overall"] = (monitor.GetStatistics(CacheRequests, Tag("cache.request.type", "hit"), window)?.Total ?? 0) / lookups;
        }

        var checkIns = monitor.GetStatistics(CheckInDuration, null, window);
        var http = monitor.GetStatistics(HttpDuration, null, window);
        var errors = monitor.GetStatistics(HttpDuration, Tag("http.response.status_class", "5xx"), window);
        var firing = 0;
        if (alerts is not null)
        {
            foreach (var alert in alerts.GetAlerts())
            {
                if (alert.State == AlertState.Firing)
                {
                    firing++;
                }
            }
        }

        return new DashboardTiles(
            Name(window),
            monitor.GetStatistics(Outcomes, null, window)?.RatePerSecond ?? 0,
            outcomes,
            checkIns?.P50,
            checkIns?.P95,
            checkIns?.P99,
            http?.P95,
            http is { Total: > 0 } ? (errors?.Total ?? 0) / http.Total : null,
            cache,
            dbP95,
            monitor.GetStatistics("eventkit.storage.writer.queue_depth", null, window)?.Last,
            monitor.GetStatistics("eventkit.ble.adverts.parsed", null, window)?.RatePerSecond ?? 0,
            monitor.GetStatistics("eventkit.ble.adverts.resolved", null, window)?.RatePerSecond ?? 0,
            monitor.GetStatistics("eventkit.ble.adverts.rejected", null, window)?.RatePerSecond ?? 0,
            monitor.GetStatistics(Cpu, null, window)?.Last,
            monitor.GetStatistics(Memory, null, window)?.Last,
            monitor.GetStatistics("dotnet.process.memory.working_set", null, window)?.Last,
            firing);
    }

    public static DashboardCharts Charts(IMetricsMonitor monitor)
    {
        var checkIns = monitor.GetPoints(Outcomes, null, MetricPointValue.Value, Chart);
        var p95 = monitor.GetPoints(CheckInDuration, null, MetricPointValue.P95, Chart);
        var cpu = monitor.GetPoints(Cpu, null, MetricPointValue.Value, Chart);
        var memory = monitor.GetPoints(Memory, null, MetricPointValue.Value, Chart);
        var seconds = new long[checkIns.Count];
        for (var i = 0; i < seconds.Length; i++)
        {
            seconds[i] = checkIns[i].UnixSeconds;
        }

        return new DashboardCharts(seconds, Values(checkIns), Values(p95), Values(cpu), Values(memory));
    }

    public static double? LastPoint(IMetricsMonitor monitor, string chart) => chart switch
    {
        "checkIns" => Last(monitor.GetPoints(Outcomes, null, MetricPointValue.Value, TimeSpan.FromSeconds(1))),
        "p95" => Last(monitor.GetPoints(CheckInDuration, null, MetricPointValue.P95, TimeSpan.FromSeconds(1))),
        "cpu" => Last(monitor.GetPoints(Cpu, null, MetricPointValue.Value, TimeSpan.FromSeconds(1))),
        _ => Last(monitor.GetPoints(Memory, null, MetricPointValue.Value, TimeSpan.FromSeconds(1))),
    };

    private static double? Last(IReadOnlyList<MetricPoint> points) => points.Count == 0 ? null : points[^1].Value;

    private static double?[] Values(IReadOnlyList<MetricPoint> points)
    {
        var values = new double?[points.Count];
        for (var i = 0; i < values.Length; i++)
        {
            values[i] = points[i].Value;
        }

        return values;
    }

    private static WindowStatistics Pick(MetricSeriesSnapshot series, TimeSpan window) =>
        window <= TimeSpan.FromMinutes(1) ? series.OneMinute : window <= TimeSpan.FromMinutes(5) ? series.FiveMinutes : series.FifteenMinutes;

    private static Dictionary<string, string> Tag(string name, string value) => new(StringComparer.Ordinal) { [name] = value };

    private static string Name(TimeSpan window) => window.TotalMinutes >= 1 ? $"{window.TotalMinutes:0}m" : $"{window.TotalSeconds:0}s";
}
