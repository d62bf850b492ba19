using System.Diagnostics.Metrics;
using EventKit.Monitoring.Internal;
using EventKit.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace EventKit.Monitoring.Tests.Internal;

[Collection(NpgsqlMetersCollection.Name)]
public class SuggestionEngineTests
{
    [Fact]
    public async Task A_suggestion_keeps_its_first_seen_while_found_and_goes_when_its_source_stops_finding_it()
    {
        var source = new ScriptedSource("db") { Next = [Finding("missing_index:x")] };
        using var harness = Harness(source);
        var advisor = harness.Services.GetRequiredService<ISuggestionAdvisor>();
        var start = harness.Time.GetUtcNow();

        await advisor.RefreshAsync();
        harness.Time.Advance(TimeSpan.FromMinutes(10));
        source.Next = [Finding("missing_index:x"), Finding("vacuum:y")];
        var second = await advisor.RefreshAsync();

        var index = Assert.Single(second, s => s.Id == "missing_index:x");
        Assert.Equal(start, index.FirstSeen);
        Assert.Equal(start.AddMinutes(10), index.LastSeen);
        Assert.Equal("db", index.Source);
        Assert.Equal(start.AddMinutes(10), Assert.Single(second, s => s.Id == "vacuum:y").FirstSeen);
        Assert.Equal(start.AddMinutes(10), advisor.LastRun);

        source.Next = [Finding("vacuum:y")];
        var third = await advisor.RefreshAsync();
        Assert.DoesNotContain(third, s => s.Id == "missing_index:x");
    }

    [Fact]
    public async Task A_source_that_cannot_look_or_throws_keeps_its_earlier_suggestions_and_does_not_hide_the_others()
    {
        var busy = new ScriptedSource("db") { Next = [Finding("missing_index:x")] };
        var broken = new ScriptedSource("broken") { Next = [Finding("cache:z")] };
        using var harness = Harness(busy, broken);
        var engine = harness.Services.GetRequiredService<SuggestionEngine>();
        await engine.RefreshAsync();

        busy.Next = null;   // Another node holds the analyzer's lock.
        broken.Throw = true;
        var after = await engine.RefreshAsync();

        Assert.Contains(after, s => s.Id == "missing_index:x");
        Assert.Contains(after, s => s.Id == "cache:z");
        Assert.True(engine.LastRunIncomplete);
    }

    [Fact]
    public async Task Slow_query_count_above_ten_runs_the_analyzer_now_and_raises_its_suggestions()
    {
        // The seeds' pair: slow-query count > 10 → critical → optimise queries. The built-in rule slow_queries runs
        // analyze_queries, which asks every suggestion source at once instead of waiting for the schedule.
        var analyzer = new ScriptedSource("query_analyzer") { Next = [Finding("missing_index:participants_active_token_idx")] };
        using var harness = Harness([analyzer], o => o.IncludeBuiltInRules = true);
        var slow = harness.Services.GetRequiredService<IMeterFactory>().Create(EventKitDiagnostics.Storage).CreateCounter<long>("eventkit.storage.slow_queries");
        var advisor = harness.Services.GetRequiredService<ISuggestionAdvisor>();

        harness.Seconds(10, () => slow.Add(1));
        Assert.NotEqual(AlertState.Firing, harness.Alert("slow_queries").State);
        Assert.Equal(0, analyzer.Calls);

        harness.Seconds(2, () => slow.Add(1));
        var alert = harness.Alert("slow_queries");
        Assert.Equal(AlertState.Firing, alert.State);
        Assert.Equal(AlertSeverity.Critical, alert.Severity);
        await Eventually.TrueAsync(() => harness.Engine.GetRecoveryAudit().Any(a => a.Action == RecoveryActionNames.AnalyzeQueries && a.Outcome == RecoveryOutcome.Succeeded), "analyze_queries ran");
        Assert.Equal(1, analyzer.Calls);
        Assert.Contains(advisor.GetSuggestions(), s => s.Id == "missing_index:participants_active_token_idx" && s.Source == "query_analyzer");
        var audit = harness.Engine.GetRecoveryAudit().First(a => a.Action == RecoveryActionNames.AnalyzeQueries);
        Assert.Equal("slow_queries", audit.Rule);
        Assert.Contains("1 suggestions (1 new)", audit.Detail, StringComparison.Ordinal);

        // Still slow: the rule keeps firing, the analyzer does not run again (once per firing).
        harness.Seconds(60, () => slow.Add(1));
        Assert.Equal(1, analyzer.Calls);
    }

    [Fact]
    public async Task The_runtime_source_turns_a_low_hit_ratio_into_an_l1_size_with_the_numbers()
    {
        using var harness = Harness([]);
        var meter = harness.Services.GetRequiredService<IMeterFactory>().Create(EventKitDiagnostics.Caching);
        var requests = meter.CreateCounter<long>("cache.requests");
        var evictions = meter.CreateCounter<long>("eventkit.cache.evictions");
        meter.CreateObservableUpDownCounter("eventkit.cache.l1.entries", () => 1_000L);
        harness.Seconds(10, () =>
        {
            // 200 lookups a second: 100 L1 hits, 100 L1 misses that also miss L2, 50 evictions.
            requests.Add(100, new("cache.tier", "l1"), new("cache.request.type", "hit"));
            requests.Add(100, new("cache.tier", "l1"), new("cache.request.type", "miss"));
            requests.Add(100, new("cache.tier", "l2"), new("cache.request.type", "miss"));
            evictions.Add(50);
        });

        var suggestions = await harness.Services.GetRequiredService<ISuggestionAdvisor>().RefreshAsync();

        var cache = Assert.Single(suggestions, s => s.Id == "cache_hit_ratio_low");
        Assert.Equal("runtime", cache.Source);
        Assert.Contains("2,000 lookups, 50.0 % hit overall", cache.Evidence, StringComparison.Ordinal);
        Assert.Contains("500 L1 evictions", cache.Evidence, StringComparison.Ordinal);
        Assert.StartsWith("EventKit:Caching:L1Capacity = 2000", cache.Action, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_runtime_source_turns_pool_waits_into_a_pool_size()
    {
        using var harness = Harness([], o => o.ListenToNpgsql = true);
        var meter = new Meter("Npgsql");
        var pending = 0L;
        meter.CreateObservableUpDownCounter("db.client.connection.npgsql.pending_requests", () => pending);
        meter.CreateObservableUpDownCounter("db.client.connection.max", () => 100L);
        harness.Seconds(5);
        Assert.DoesNotContain(await harness.Services.GetRequiredService<ISuggestionAdvisor>().RefreshAsync(), s => s.Id == "pool_waits");

        pending = 30;
        harness.Seconds(2);
        var pool = Assert.Single(await harness.Services.GetRequiredService<ISuggestionAdvisor>().RefreshAsync(), s => s.Id == "pool_waits");
        Assert.StartsWith("EventKit:Storage:MaxPoolSize = 150", pool.Action, StringComparison.Ordinal);
        Assert.Contains("up to 30 requests waited", pool.Evidence, StringComparison.Ordinal);
        meter.Dispose();
    }

    private static SuggestionFinding Finding(string id) => new(id, "title " + id, "evidence", "action", "effect", AlertSeverity.Warning);

    private static MonitoringHarness Harness(params ScriptedSource[] sources) => Harness(sources, null);

    private static MonitoringHarness Harness(ScriptedSource[] sources, Action<MonitoringOptions>? configure) => new(
        o =>
        {
            o.Suggestions.Enabled = false;
            configure?.Invoke(o);
        },
        services =>
        {
            foreach (var source in sources)
            {
                services.AddSingleton<ISuggestionSource>(source);
            }
        });

    private sealed class ScriptedSource(string name) : ISuggestionSource
    {
        private int _calls;

        public string Name => name;

        public IReadOnlyList<SuggestionFinding>? Next { get; set; }

        public bool Throw { get; set; }

        public int Calls => Volatile.Read(ref _calls);

        public ValueTask<IReadOnlyList<SuggestionFinding>?> FindAsync(CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref _calls);
            return Throw ? throw new InvalidOperationException("the database is down") : ValueTask.FromResult(Next);
        }
    }
}
