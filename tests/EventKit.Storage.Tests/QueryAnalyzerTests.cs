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

    [Theory]
    [InlineData("count_at_gate", "Index Only Scan")]
    [InlineData("count_per_gate", "Index Only Scan")]
    [InlineData("page_by_gate", "Index Scan")]
    [InlineData("page_by_participant", "Index Scan")]
    public async Task Hot_reads_run_generic_plans_with_index_scans_and_partitions_pruned_at_executor_start(string query, string scan)
    {
        // The reader sends these behind GenericPlanBatch's prelude; this is the plan PostgreSQL then runs for them.
        string newest;
        await using (var command = fixture.DataSource.CreateCommand("SELECT to_char(max(occurred_at) AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS') FROM attendance_records"))
        {
            newest = (string)(await command.ExecuteScalarAsync())!;
        }

        var hourAgo = $"timestamptz '{newest}+00' - interval '1 hour'";
        var (sql, arguments) = query switch
        {
            "count_at_gate" => (PostgresAttendanceReader.CountAtGateSql, $"7, {hourAgo}"),
            "count_per_gate" => (PostgresAttendanceReader.CountPerGateSql, hourAgo),
            "page_by_gate" => (PostgresAttendanceReader.PageSqlFor(byParticipant: false, byGate: true), $"0, 7, {hourAgo} - interval '30 days', timestamptz '{newest}+00', 'ffffffff-ffff-ffff-ffff-ffffffffffff', 101"),
            _ => (PostgresAttendanceReader.PageSqlFor(byParticipant: true, byGate: false), $"4242, 0, {hourAgo} - interval '30 days', timestamptz '{newest}+00', 'ffffffff-ffff-ffff-ffff-ffffffffffff', 101"),
        };

        var plan = await GenericPlanAsync(sql, arguments);

        Assert.Contains($"{scan} using attendance_records_p", plan, StringComparison.Ordinal);
        Assert.Contains("Subplans Removed", plan, StringComparison.Ordinal);
        Assert.Contains("$1", plan, StringComparison.Ordinal);
        Assert.DoesNotContain("Gather", plan, StringComparison.Ordinal);
        Assert.DoesNotContain("JIT", plan, StringComparison.Ordinal);
        Assert.DoesNotContain("Bitmap", plan, StringComparison.Ordinal);
        foreach (var line in plan.Split('\n').Where(l => l.Contains("Seq Scan on attendance_records", StringComparison.Ordinal)))
        {
            // Only the empty future partitions and the default partition (no rows, no pages) may be read sequentially.
            Assert.Matches(@"Seq Scan on attendance_records_(default|p\d{6}) .*rows=0 ", line);
        }
    }

    [Fact]
    public async Task Without_the_prelude_the_same_statement_is_re_planned_per_call()
    {
        // The point of the prelude: left alone, PostgreSQL keeps choosing custom plans (parameters folded in) for these.
        await using var connection = await fixture.DataSource.OpenConnectionAsync();
        var plan = await ExplainPreparedAsync(connection, PostgresAttendanceReader.CountAtGateSql, "7, timestamptz '2026-12-20 00:00:00+00'", prelude: false);

        Assert.DoesNotContain("$1", plan, StringComparison.Ordinal);
        Assert.DoesNotContain("Subplans Removed", plan, StringComparison.Ordinal);
    }

    private async Task<string> GenericPlanAsync(string sql, string arguments)
    {
        await using var connection = await fixture.DataSource.OpenConnectionAsync();
        return await ExplainPreparedAsync(connection, sql, arguments, prelude: true);
    }

    private static async Task<string> ExplainPreparedAsync(Npgsql.NpgsqlConnection connection, string sql, string arguments, bool prelude)
    {
        await using var transaction = await connection.BeginTransactionAsync();
        if (prelude)
        {
            await using var set = new Npgsql.NpgsqlCommand(GenericPlanBatch.PreludeSql, connection, transaction);
            await set.ExecuteNonQueryAsync();
        }

        await using (var prepare = new Npgsql.NpgsqlCommand($"PREPARE hot AS {sql}", connection, transaction))
        {
            await prepare.ExecuteNonQueryAsync();
        }

        try
        {
            // Six executions: PostgreSQL's plan cache only weighs a generic plan after five custom ones.
            var lines = new List<string>();
            for (var i = 0; i < 6; i++)
            {
                lines.Clear();
                await using var explain = new Npgsql.NpgsqlCommand($"EXPLAIN (ANALYZE, COSTS OFF, TIMING OFF, SUMMARY OFF) EXECUTE hot({arguments})", connection, transaction);
                await using var reader = await explain.ExecuteReaderAsync();
                while (await reader.ReadAsync())
                {
                    lines.Add(reader.GetString(0));
                }
            }

            return string.Join('\n', lines);
        }
        finally
        {
            await transaction.RollbackAsync();
            await using var deallocate = new Npgsql.NpgsqlCommand("DEALLOCATE hot", connection);
            await deallocate.ExecuteNonQueryAsync();
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
