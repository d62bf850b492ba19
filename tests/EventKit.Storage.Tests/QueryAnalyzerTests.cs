using EventKit.Storage.Internal;
using Microsoft.Extensions.DependencyInjection;

namespace EventKit.Storage.Tests;

/// <summary>A database seeded with 200,000 attendance records over three quarters.</summary>
public sealed class SeededStorageFixture : StorageFixture
{
    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        await ExecuteAsync("INSERT INTO gates (event_id, name, kind) SELECT 1, 'Gate ' || g, 0 FROM generate_series(1, 20) g");
        await ExecuteAsync(
            "INSERT INTO attendance_records (id, event_id, participant_id, gate_id, method, direction, credential_kind, occurred_at) " +
            "SELECT gen_random_uuid(), 1, 1 + (g % 20000), 1 + (g % 20), g % 4, 0, 0, timestamptz '2026-04-01' + g * interval '2 minutes' " +
            "FROM generate_series(1, 200000) g");
        await ExecuteAsync("INSERT INTO participants (event_id, name, token_hash) SELECT 1, 'P' || g, sha256(g::text::bytea) FROM generate_series(1, 20000) g");

        // Rows before the current quarter landed in the default partition; maintenance rescues them.
        await Services.GetRequiredService<PartitionMaintainer>().RunOnceAsync(CancellationToken.None);
        await ExecuteAsync("VACUUM ANALYZE attendance_records");
        await ExecuteAsync("VACUUM ANALYZE participants");
    }
}

public sealed class QueryAnalyzerTests(SeededStorageFixture fixture) : IClassFixture<SeededStorageFixture>
{
    private QueryAnalyzer Analyzer => fixture.Services.GetRequiredService<QueryAnalyzer>();

    [Fact]
    public async Task The_four_critical_queries_use_indexes_and_attendance_queries_prune_partitions()
    {
        Assert.Equal(200_000, await fixture.ScalarAsync("SELECT count(*) FROM attendance_records"));
        Assert.Equal(0, await fixture.ScalarAsync("SELECT count(*) FROM attendance_records_default"));

        var reports = await Analyzer.AnalyzeCriticalQueriesAsync();

        Assert.Equal(QueryAnalyzer.CriticalQueries, reports.Select(r => r.Name));
        foreach (var report in reports)
        {
            Assert.True(report.IndexesUsed.Count > 0, $"{report.Name} used no index: {report.PlanJson}");
            Assert.True(report.SequentialScans.Count == 0, $"{report.Name} scanned sequentially: {string.Join(", ", report.SequentialScans)}");
            Assert.True(report.ExecutionTime > TimeSpan.Zero);
            Assert.True(report.SharedHitBlocks + report.SharedReadBlocks > 0);
        }

        Assert.Contains("participants_active_token_idx", reports[2].IndexesUsed);
        Assert.Contains("gate", string.Join(",", reports[1].IndexesUsed), StringComparison.Ordinal);
        foreach (var report in new[] { reports[0], reports[1], reports[3] })
        {
            Assert.True(report.PartitionsTotal >= 4, $"{report.Name}: {report.PartitionsTotal} partitions");
            Assert.True(report.PartitionsPruned > 0, $"{report.Name} scanned {report.PartitionsScanned} of {report.PartitionsTotal} partitions");
        }
    }

    [Fact]
    public async Task An_unfiltered_page_reads_the_method_index_instead_of_sorting_the_table()
    {
        var report = await Analyzer.AnalyzeAsync(
            "attendance.page_all",
            PostgresAttendanceReader.PageSqlFor(byParticipant: false, byGate: false),
            [0L, 0L, new DateTime(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc), new DateTime(2999, 1, 1, 0, 0, 0, DateTimeKind.Utc), Guid.AllBitsSet, 101]);

        Assert.Empty(report.SequentialScans);
        Assert.Contains(report.IndexesUsed, i => i.Contains("method", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Flags_a_sequential_scan_of_a_large_relation_and_missing_pruning_with_suggestions()
    {
        var report = await Analyzer.AnalyzeAsync("by-direction", "SELECT count(*) FROM attendance_records WHERE direction = $1", [(short)0]);

        Assert.NotEmpty(report.SequentialScans);
        Assert.Equal(report.PartitionsTotal, report.PartitionsScanned);
        Assert.Contains(report.Suggestions, s => s.Contains("Sequential scan", StringComparison.Ordinal));
        Assert.Contains(report.Suggestions, s => s.Contains("pruned", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Explain_analyze_changes_nothing()
    {
        await Analyzer.AnalyzeAsync("delete", "DELETE FROM gates WHERE id = $1", [1L]);
        Assert.Equal(20, await fixture.ScalarAsync("SELECT count(*) FROM gates"));
    }

    [Fact]
    public async Task Reports_catalog_state_and_slow_statements()
    {
        await fixture.ExecuteAsync("CREATE INDEX dup_a ON gates (event_id)");
        var catalog = await Analyzer.CheckCatalogAsync();

        Assert.Contains(catalog.DuplicateIndexes, g => g.Contains("dup_a") && g.Contains("gates_event_id_idx"));
        Assert.Contains(catalog.Tables, t => t.Table == "participants" && t.LiveRows >= 20_000 && t.LastAnalyze is not null);
        Assert.Contains(catalog.UnusedIndexes, i => i.Key == "dup_a");
        Assert.Contains(catalog.Suggestions, s => s.Contains("identical", StringComparison.Ordinal));

        // pg_stat_statements is preloaded on the test server but only readable once the extension exists.
        await fixture.ExecuteAsync("CREATE EXTENSION IF NOT EXISTS pg_stat_statements");
        var slow = await Analyzer.GetSlowStatementsAsync();
        Assert.All(slow, s => Assert.True(s.Calls >= 100 && s.MeanTime >= TimeSpan.FromMilliseconds(20)));
    }
}
