using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using EventKit.Testing;
using Npgsql;

namespace EventKit.AspNetCore.Tests;

/// <summary><c>/eventkit/suggestions</c> on a host with storage and monitoring over the real PostgreSQL: the query analyzer's advice and the slow-query → analyzer pair.</summary>
public sealed class MonitoringEndpointSuggestionsTests : IAsyncLifetime
{
    private MonitoredHost _host = null!;

    public async Task InitializeAsync() => _host = await MonitoredHost.StartAsync(
        monitoring: o => o.Suggestions.Enabled = false,   // on demand and by the recovery action only
        storage: o =>
        {
            o.MinPoolSize = 0;
            o.SlowQueryThreshold = TimeSpan.FromMilliseconds(50);
        },
        redis: false);

    [Theory]
    [InlineData("GET", "/eventkit/suggestions")]
    [InlineData("POST", "/eventkit/suggestions/run")]
    public async Task Suggestions_need_the_admin_key(string method, string path)
    {
        using var request = new HttpRequestMessage(new HttpMethod(method), path);
        using var response = await _host.Client.SendAsync(request);
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task A_missing_next_quarter_partition_and_a_missing_index_become_suggestions_with_evidence_and_sql()
    {
        var next = StartOfQuarter(DateTimeOffset.UtcNow).AddMonths(3);
        var partition = $"attendance_records_p{next:yyyyMM}";
        await ExecuteAsync($"DROP TABLE {partition}");
        await ExecuteAsync("DROP INDEX participants_active_token_idx");
        await ExecuteAsync("INSERT INTO participants (event_id, name, token_hash) SELECT 1, 'P' || g, sha256(g::text::bytea) FROM generate_series(1, 20000) g");
        await ExecuteAsync("ANALYZE participants");

        var before = await GetJsonAsync("/eventkit/suggestions");
        Assert.Equal(JsonValueKind.Null, before.TryGetProperty("lastRun", out var none) ? none.ValueKind : JsonValueKind.Null);

        using var run = await _host.Admin.PostAsync("/eventkit/suggestions/run", null);
        Assert.Equal(HttpStatusCode.OK, run.StatusCode);
        var body = await run.BodyAsync();
        Assert.True(body.GetProperty("lastRun").GetDateTimeOffset() > DateTimeOffset.UtcNow.AddMinutes(-1));
        var suggestions = body.GetProperty("suggestions").EnumerateArray().ToList();

        var missing = suggestions.Single(s => s.GetProperty("id").GetString() == "partition_missing:" + partition);
        Assert.Equal("query_analyzer", missing.GetProperty("source").GetString());
        Assert.Contains($"CREATE TABLE {partition} PARTITION OF attendance_records", missing.GetProperty("action").GetString(), StringComparison.Ordinal);
        Assert.Contains($"none covers {next:yyyy-MM-dd}", missing.GetProperty("evidence").GetString(), StringComparison.Ordinal);

        var index = suggestions.Single(s => s.GetProperty("id").GetString() == "missing_index:participants_active_token_idx");
        Assert.Equal("Critical", index.GetProperty("severity").GetString());
        Assert.Contains("Seq Scan on participants", index.GetProperty("evidence").GetString(), StringComparison.Ordinal);
        Assert.StartsWith("CREATE UNIQUE INDEX CONCURRENTLY", index.GetProperty("action").GetString(), StringComparison.Ordinal);
        Assert.False(string.IsNullOrEmpty(index.GetProperty("estimatedEffect").GetString()));
        var firstSeen = index.GetProperty("firstSeen").GetDateTimeOffset();

        // Most severe first; the same list is what GET answers until the next run.
        var severities = suggestions.Select(s => s.GetProperty("severity").GetString()).ToList();
        Assert.Equal(severities.OrderBy(s => s switch { "Critical" => 0, "Warning" => 1, _ => 2 }), severities);
        var listed = (await GetJsonAsync("/eventkit/suggestions")).GetProperty("suggestions").EnumerateArray().Select(s => s.GetProperty("id").GetString()).ToList();
        Assert.Equal(suggestions.Select(s => s.GetProperty("id").GetString()), listed);

        // Fixed: the next run drops them; the first-seen of one still there would have been kept.
        await ExecuteAsync("CREATE UNIQUE INDEX participants_active_token_idx ON participants (token_hash) WHERE status = 'active'");
        using var again = await _host.Admin.PostAsync("/eventkit/suggestions/run", null);
        var ids = (await again.BodyAsync()).GetProperty("suggestions").EnumerateArray().ToList();
        Assert.DoesNotContain(ids, s => s.GetProperty("id").GetString() == "missing_index:participants_active_token_idx");
        Assert.Equal(firstSeen, ids.Single(s => s.GetProperty("id").GetString() == "partition_missing:" + partition).GetProperty("firstSeen").GetDateTimeOffset());
    }

    [Fact]
    public async Task More_than_ten_slow_queries_fire_slow_queries_and_run_the_analyzer_now()
    {
        // A lock held on gates makes every gate creation wait: each is a slow query (threshold 50 ms).
        await using var blocker = await _host.Postgres.DataSource.OpenConnectionAsync();
        await using var transaction = await blocker.BeginTransactionAsync();
        await using (var lockGates = new NpgsqlCommand("LOCK TABLE gates IN ACCESS EXCLUSIVE MODE", blocker, transaction))
        {
            await lockGates.ExecuteNonQueryAsync();
        }

        var creations = Enumerable.Range(0, 12).Select(async i =>
        {
            using var response = await _host.Admin.PostAsJsonAsync("/api/v1/gates", new { name = $"Gate {i}", kind = "entrance", open = true });
            return response.StatusCode;
        }).ToList();
        await Eventually.TrueAsync(
            async () =>
            {
                await using var waiting = _host.Postgres.DataSource.CreateCommand(
                    "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'");
                return (long)(await waiting.ExecuteScalarAsync())! >= 12;
            },
            "all twelve creations wait for the lock");
        await Task.Delay(100);   // Held a little longer than the 50 ms threshold, counted from when they started waiting.
        await transaction.CommitAsync();
        Assert.All(await Task.WhenAll(creations), status => Assert.Equal(HttpStatusCode.Created, status));

        JsonElement alerts = default;
        await Eventually.TrueAsync(
            async () =>
            {
                alerts = await GetJsonAsync("/eventkit/alerts");
                return alerts.GetProperty("actions").EnumerateArray().Any(a =>
                    a.GetProperty("action").GetString() == "analyze_queries" && a.GetProperty("outcome").GetString() == "Succeeded");
            },
            "analyze_queries ran after slow_queries fired",
            TimeSpan.FromSeconds(60));

        var rule = alerts.GetProperty("alerts").EnumerateArray().Single(a => a.GetProperty("name").GetString() == "slow_queries");
        Assert.Equal("Firing", rule.GetProperty("state").GetString());
        Assert.True(rule.GetProperty("value").GetDouble() > 10);
        var action = alerts.GetProperty("actions").EnumerateArray().First(a => a.GetProperty("action").GetString() == "analyze_queries");
        Assert.Equal("slow_queries", action.GetProperty("rule").GetString());
        Assert.Contains("suggestions", action.GetProperty("detail").GetString(), StringComparison.Ordinal);

        // The analyzer's run is what GET /eventkit/suggestions shows.
        Assert.Equal(JsonValueKind.String, (await GetJsonAsync("/eventkit/suggestions")).GetProperty("lastRun").ValueKind);
    }

    private static DateTimeOffset StartOfQuarter(DateTimeOffset instant) => new(instant.Year, ((instant.Month - 1) / 3 * 3) + 1, 1, 0, 0, 0, TimeSpan.Zero);

    private async Task ExecuteAsync(string sql)
    {
        await using var command = _host.Postgres.DataSource.CreateCommand(sql);
        command.CommandTimeout = 120;
        await command.ExecuteNonQueryAsync();
    }

    private async Task<JsonElement> GetJsonAsync(string path)
    {
        using var response = await _host.Admin.GetAsync(path);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.BodyAsync();
    }

    public async Task DisposeAsync() => await _host.DisposeAsync();
}
