using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using EventKit.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace EventKit.AspNetCore.Tests;

/// <summary>The monitoring endpoints on a host with <c>.AddMonitoring()</c> over the real PostgreSQL and Redis.</summary>
public sealed class MonitoringEndpointTests : IAsyncLifetime
{
    private MonitoredHost _host = null!;

    public async Task InitializeAsync() => _host = await MonitoredHost.StartAsync(
        monitoring: o => o.HealthProbeInterval = TimeSpan.FromSeconds(1),
        extend: static (eventKit, _) => eventKit.AddPrometheusMetrics());

    [Theory]
    [InlineData("GET", "/eventkit/metrics")]
    [InlineData("GET", "/eventkit/alerts")]
    [InlineData("POST", "/eventkit/alerts/silences")]
    [InlineData("GET", "/eventkit/events")]
    public async Task Monitoring_data_needs_the_admin_key(string method, string path)
    {
        using var request = new HttpRequestMessage(new HttpMethod(method), path);
        using var response = await _host.Client.SendAsync(request);
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task Metrics_show_the_check_ins_driven_through_the_api()
    {
        var gate = await CreateGateAsync();
        var tokens = Enumerable.Range(0, 20).Select(_ => ApiFixture.Token()).ToArray();
        await _host.AdmitAsync(gate, tokens, _host.Client);

        JsonElement tiles = default;
        await Eventually.TrueAsync(
            async () =>
            {
                tiles = (await GetJsonAsync("/eventkit/metrics")).GetProperty("oneMinute");
                return tiles.GetProperty("outcomes").TryGetProperty("admitted", out var admitted) && admitted.GetDouble() == 20;
            },
            "the metrics count 20 admissions",
            TimeSpan.FromSeconds(30));

        Assert.True(tiles.GetProperty("checkInsPerSecond").GetDouble() > 0);
        Assert.True(tiles.GetProperty("checkInP95").GetDouble() > 0);
        Assert.True(tiles.GetProperty("apiP95").GetDouble() > 0);
        var metrics = await GetJsonAsync("/eventkit/metrics");
        Assert.Equal(900, metrics.GetProperty("charts").GetProperty("checkIns").GetArrayLength());
        Assert.Contains(metrics.GetProperty("series").EnumerateArray(), s =>
            s.GetProperty("instrument").GetString() == "http.server.request.duration"
            && s.GetProperty("tags").GetProperty("http.route").GetString() == "/api/v1/checkins"
            && s.GetProperty("tags").GetProperty("http.response.status_class").GetString() == "2xx");
    }

    [Fact]
    public async Task Alerts_list_the_built_in_rules_and_accept_silences()
    {
        var alerts = await GetJsonAsync("/eventkit/alerts");
        Assert.Contains(alerts.GetProperty("alerts").EnumerateArray(), a => a.GetProperty("name").GetString() == "redis_unhealthy" && a.GetProperty("severity").GetString() == "Critical");

        using (var bad = await _host.Admin.PostAsJsonAsync("/eventkit/alerts/silences", new { matchers = new Dictionary<string, string>() }))
        {
            Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
            Assert.Equal("invalid_matchers", (await bad.BodyAsync()).GetProperty("code").GetString());
        }

        using (var created = await _host.Admin.PostAsJsonAsync("/eventkit/alerts/silences", new { matchers = new { alertname = "cpu_high" }, duration = "00:30:00", comment = "load test" }))
        {
            Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        }

        var silences = (await GetJsonAsync("/eventkit/alerts")).GetProperty("silences");
        Assert.Equal("cpu_high", Assert.Single(silences.EnumerateArray()).GetProperty("matchers").GetProperty("alertname").GetString());
    }

    [Fact]
    public async Task Events_stream_one_update_per_second()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/eventkit/events");
        using var response = await _host.Admin.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync());
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var updates = new List<JsonElement>();
        while (updates.Count < 2)
        {
            var line = await reader.ReadLineAsync(timeout.Token);
            if (line?.StartsWith("data: ", StringComparison.Ordinal) == true)
            {
                updates.Add(JsonDocument.Parse(line["data: ".Length..]).RootElement.Clone());
            }
        }

        Assert.True(updates[1].GetProperty("at").GetDateTimeOffset() > updates[0].GetProperty("at").GetDateTimeOffset());
        Assert.True(updates[0].TryGetProperty("tiles", out var tiles) && tiles.TryGetProperty("checkInsPerSecond", out _));
    }

    [Fact]
    public async Task Dashboard_page_is_served_without_the_key_with_a_strict_policy()
    {
        using var response = await _host.Client.GetAsync("/eventkit/dashboard");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("default-src 'none'", response.Headers.GetValues("Content-Security-Policy").Single(), StringComparison.Ordinal);
        var html = await response.Content.ReadAsStringAsync();
        Assert.Contains("EventKit", html, StringComparison.Ordinal);
        Assert.DoesNotContain("http://", html.Replace("http://www.w3.org/2000/svg", "", StringComparison.Ordinal), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Readiness_gives_the_status_without_the_key_and_details_with_it()
    {
        using var anonymous = await _host.Client.GetAsync("/health/ready");
        Assert.Equal(HttpStatusCode.OK, anonymous.StatusCode);
        var status = await anonymous.BodyAsync();
        Assert.Equal("healthy", status.GetProperty("status").GetString());
        Assert.Empty(status.GetProperty("checks").EnumerateObject());

        var details = await GetJsonAsync("/health/ready");
        Assert.Equal("healthy", details.GetProperty("checks").GetProperty("postgresql").GetProperty("status").GetString());
        Assert.Equal("healthy", details.GetProperty("checks").GetProperty("draining").GetProperty("status").GetString());
    }

    [Fact]
    public async Task Prometheus_metrics_are_served_without_the_key_when_enabled()
    {
        using (var live = await _host.Client.GetAsync("/health/live"))
        {
            Assert.Equal(HttpStatusCode.OK, live.StatusCode);
        }

        string text = "";
        await Eventually.TrueAsync(
            async () =>
            {
                using var response = await _host.Client.GetAsync("/metrics");
                Assert.Equal(HttpStatusCode.OK, response.StatusCode);
                text = await response.Content.ReadAsStringAsync();
                return text.Contains("http_server_request_duration_seconds_bucket", StringComparison.Ordinal);
            },
            "the scrape has ASP.NET Core's request duration",
            TimeSpan.FromSeconds(30));
        Assert.Contains("# TYPE", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_hundred_dashboard_viewers_cost_one_gate_stats_query_per_ttl()
    {
        var monitor = _host.App.Services.GetRequiredService<EventKit.Monitoring.IMetricsMonitor>();
        var query = new Dictionary<string, string> { ["db.query.name"] = "attendance.count_per_gate" };
        var before = monitor.GetStatistics("db.client.operation.duration", query, TimeSpan.FromMinutes(15))?.Total ?? 0;

        // The warmers preloaded stats:gates at start; without it the hundred viewers share one query.
        await _host.App.Services.GetRequiredKeyedService<Microsoft.Extensions.Caching.Hybrid.HybridCache>(EventKitServiceKeys.Cache).RemoveAsync("stats:gates");
        var viewers = await Task.WhenAll(Enumerable.Range(0, 100).Select(async _ =>
        {
            using var response = await _host.Admin.GetAsync("/api/v1/stats/gates");
            return response.StatusCode;
        }));

        Assert.All(viewers, status => Assert.Equal(HttpStatusCode.OK, status));

        // Every query was recorded before its response; two closed seconds later all of them are in the windows.
        long LastClosed() => monitor.GetPoints("db.client.operation.duration", query, EventKit.Monitoring.MetricPointValue.Value, TimeSpan.FromSeconds(1))[0].UnixSeconds;
        var answered = LastClosed();
        await Eventually.TrueAsync(() => LastClosed() >= answered + 2, "two more seconds were closed", TimeSpan.FromSeconds(30));
        Assert.Equal(before + 1, monitor.GetStatistics("db.client.operation.duration", query, TimeSpan.FromMinutes(15))!.Total);
    }

    [Fact]
    public async Task Overall_stats_are_preloaded_by_the_warmers_so_a_hundred_viewers_cost_no_query()
    {
        var monitor = _host.App.Services.GetRequiredService<EventKit.Monitoring.IMetricsMonitor>();
        var query = new Dictionary<string, string> { ["db.query.name"] = "attendance.count_per_gate" };
        double Queries() => monitor.GetStatistics("db.client.operation.duration", query, TimeSpan.FromMinutes(15))?.Total ?? 0;
        long LastClosed() => monitor.GetPoints("db.client.operation.duration", query, EventKit.Monitoring.MetricPointValue.Value, TimeSpan.FromSeconds(1))[0].UnixSeconds;

        // The warmers run at start, on the warming interval and on rewarm_caches (run here, since other tests of this
        // class create gates, which drops the event's overall figures): stats:overall is in the cache before anyone asks.
        var cache = _host.App.Services.GetRequiredKeyedService<Microsoft.Extensions.Caching.Hybrid.HybridCache>(EventKitServiceKeys.Cache);
        await _host.App.Services.GetServices<EventKit.Caching.ICacheWarmer>().OfType<EventKit.AspNetCore.Internal.StatsCacheWarmer>().Single().WarmAsync(cache, CancellationToken.None);
        var eventId = _host.App.Services.GetRequiredService<Microsoft.Extensions.Options.IOptions<EventKitOptions>>().Value.EventId;
        var preloaded = await cache.GetOrCreateAsync<EventKit.AspNetCore.Internal.OverallStatsResponse?>(EventKit.AspNetCore.Internal.CachedStats.OverallKey(eventId), _ => ValueTask.FromResult<EventKit.AspNetCore.Internal.OverallStatsResponse?>(null), new() { Flags = Microsoft.Extensions.Caching.Hybrid.HybridCacheEntryFlags.DisableUnderlyingData });
        Assert.NotNull(preloaded);
        var started = LastClosed();
        await Eventually.TrueAsync(() => LastClosed() >= started + 2, "two more seconds were closed", TimeSpan.FromSeconds(30));
        var before = Queries();

        var viewers = await Task.WhenAll(Enumerable.Range(0, 100).Select(async _ =>
        {
            using var response = await _host.Admin.GetAsync("/api/v1/stats/overall");
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            return await response.BodyAsync();
        }));

        Assert.All(viewers, body => Assert.True(body.TryGetProperty("admissions", out _) && body.TryGetProperty("activeGates", out _) && body.TryGetProperty("openGates", out _)));
        var answered = LastClosed();
        await Eventually.TrueAsync(() => LastClosed() >= answered + 2, "two more seconds were closed", TimeSpan.FromSeconds(30));
        Assert.Equal(before, Queries());
    }

    private async Task<long> CreateGateAsync()
    {
        using var response = await _host.Admin.PostAsJsonAsync("/api/v1/gates", new { name = "Main", kind = "entrance", open = true });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return (await response.BodyAsync()).GetProperty("id").GetInt64();
    }

    private async Task<JsonElement> GetJsonAsync(string path)
    {
        using var response = await _host.Admin.GetAsync(path);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.BodyAsync();
    }

    public async Task DisposeAsync() => await _host.DisposeAsync();
}
