using EventKit.Storage.Internal;
using EventKit.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace EventKit.Storage.Tests;

/// <summary>A database with 20,000 participants and a few thousand check-ins, for <see cref="QueryAnalyzer.ReviewAsync"/>.</summary>
public sealed class ReviewFixture : StorageFixture
{
    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        await ExecuteAsync("INSERT INTO gates (event_id, name, kind) SELECT 1, 'Gate ' || g, 0 FROM generate_series(1, 20) g");
        await ExecuteAsync("INSERT INTO participants (event_id, name, token_hash) SELECT 1, 'P' || g, sha256(g::text::bytea) FROM generate_series(1, 20000) g");
        await ExecuteAsync(
            "INSERT INTO attendance_records (id, event_id, participant_id, gate_id, method, direction, credential_kind, occurred_at) " +
            "SELECT gen_random_uuid(), 1, 1 + (g % 20000), 1 + (g % 20), g % 4, 0, 0, now() - g * interval '1 second' FROM generate_series(1, 5000) g");
        await ExecuteAsync("VACUUM ANALYZE participants");
        await ExecuteAsync("VACUUM ANALYZE attendance_records");
    }
}

public sealed class QueryAnalyzerReviewTests(ReviewFixture fixture) : IClassFixture<ReviewFixture>
{
    private QueryAnalyzer Analyzer => fixture.Services.GetRequiredService<QueryAnalyzer>();

    [Fact]
    public async Task A_missing_index_is_advised_with_its_statement_and_the_plan_that_shows_the_scan()
    {
        await fixture.ExecuteAsync("DROP INDEX participants_active_token_idx");
        try
        {
            await fixture.ExecuteAsync("ANALYZE participants");
            var review = await Analyzer.ReviewAsync();

            Assert.NotNull(review);
            var advice = Assert.Single(review.Advice, a => a.Id == "missing_index:participants_active_token_idx");
            Assert.Equal(StorageAdviceSeverity.Critical, advice.Severity);
            Assert.Equal("participant.by_credential", advice.QueryName);
            Assert.StartsWith("CREATE UNIQUE INDEX CONCURRENTLY IF NOT EXISTS participants_active_token_idx ON participants (token_hash) WHERE status = 'active'", advice.Action, StringComparison.Ordinal);
            Assert.Contains("Seq Scan on participants", advice.Evidence, StringComparison.Ordinal);
            Assert.Contains("token_hash", advice.Evidence, StringComparison.Ordinal);
            Assert.Contains("20,000", advice.EstimatedEffect, StringComparison.Ordinal);

            // The missing index explains the scan: no second, vaguer piece of advice for it.
            Assert.DoesNotContain(review.Advice, a => a.Id.StartsWith("seq_scan:participant.by_credential", StringComparison.Ordinal));
        }
        finally
        {
            await fixture.ExecuteAsync("CREATE UNIQUE INDEX IF NOT EXISTS participants_active_token_idx ON participants (token_hash) WHERE status = 'active'");
        }

        var after = await Analyzer.ReviewAsync();
        Assert.DoesNotContain(after!.Advice, a => a.Id == "missing_index:participants_active_token_idx");
    }

    [Fact]
    public async Task A_table_full_of_dead_rows_is_advised_a_vacuum_with_the_counts()
    {
        await fixture.ExecuteAsync("CREATE TABLE churn (id bigint PRIMARY KEY, payload text) WITH (autovacuum_enabled = false)");
        await fixture.ExecuteAsync("INSERT INTO churn SELECT g, repeat('x', 50) FROM generate_series(1, 10000) g");
        await fixture.ExecuteAsync("DELETE FROM churn WHERE id > 2000");

        // The statistics collector publishes a session's counts shortly after its transaction.
        StorageAdvice? vacuum = null;
        await Eventually.TrueAsync(
            async () => (vacuum = (await Analyzer.ReviewAsync())?.Advice.FirstOrDefault(a => a.Id == "vacuum:churn")) is not null,
            "vacuum advice for churn");

        Assert.Equal("VACUUM (ANALYZE) churn;", vacuum!.Action);
        Assert.Contains("8,000 dead rows beside 2,000 live (80 %)", vacuum.Evidence, StringComparison.Ordinal);
        Assert.Equal(StorageAdviceSeverity.Warning, vacuum.Severity);

        await fixture.ExecuteAsync("VACUUM churn");
        await Eventually.TrueAsync(async () => (await Analyzer.ReviewAsync())?.Advice.All(a => a.Id != "vacuum:churn") == true, "no vacuum advice after VACUUM");
    }

    [Fact]
    public async Task A_missing_next_quarter_partition_is_advised_with_its_bounds()
    {
        var next = PartitionMaintainer.PeriodStart(DateTimeOffset.UtcNow, 3).AddMonths(3);
        var name = PartitionMaintainer.PartitionName(next);
        await fixture.ExecuteAsync($"DROP TABLE {name}");
        try
        {
            var review = await Analyzer.ReviewAsync();

            var advice = Assert.Single(review!.Advice, a => a.Id == "partition_missing:" + name);
            Assert.Contains($"CREATE TABLE {name} PARTITION OF attendance_records FOR VALUES FROM ('{next:yyyy-MM-dd}') TO ('{next.AddMonths(3):yyyy-MM-dd}')", advice.Action, StringComparison.Ordinal);
            Assert.Contains("EventKit:Storage:Maintenance:Enabled", advice.Action, StringComparison.Ordinal);
            Assert.Contains($"none covers {next:yyyy-MM-dd}", advice.Evidence, StringComparison.Ordinal);
            var expected = next - DateTimeOffset.UtcNow <= StorageAdvisor.PartitionCriticalLead ? StorageAdviceSeverity.Critical : StorageAdviceSeverity.Warning;
            Assert.Equal(expected, advice.Severity);
        }
        finally
        {
            await fixture.Services.GetRequiredService<PartitionMaintainer>().RunOnceAsync(CancellationToken.None);
        }

        Assert.DoesNotContain((await Analyzer.ReviewAsync())!.Advice, a => a.Id.StartsWith("partition_missing:", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Unused_indexes_of_our_own_are_never_advised_for_dropping_but_foreign_ones_are()
    {
        await fixture.ExecuteAsync("CREATE INDEX IF NOT EXISTS gates_name_unused_idx ON gates (name)");
        var review = await Analyzer.ReviewAsync();

        var drop = Assert.Single(review!.Advice, a => a.Id == "unused_index:gates_name_unused_idx");
        Assert.Equal("DROP INDEX CONCURRENTLY IF EXISTS gates_name_unused_idx;", drop.Action);
        var unused = review.Advice.Where(a => a.Id.StartsWith("unused_index:", StringComparison.Ordinal)).Select(a => a.Id["unused_index:".Length..]).ToList();
        Assert.Equal(["gates_name_unused_idx"], unused);   // not EventKit's own, not the partitions' copies of them
        Assert.True(ExpectedIndexes.IsOwn("scanners_event_id_idx"), "indexes of every embedded migration count as EventKit's own");
    }

    [Fact]
    public async Task One_node_at_a_time_a_review_under_another_nodes_lock_returns_null()
    {
        await using var other = await fixture.DataSource.OpenConnectionAsync();
        await using (var take = new Npgsql.NpgsqlCommand($"SELECT pg_advisory_lock({QueryAnalyzer.ReviewLockKey})", other))
        {
            await take.ExecuteNonQueryAsync();
        }

        Assert.Null(await Analyzer.ReviewAsync());

        await using (var release = new Npgsql.NpgsqlCommand($"SELECT pg_advisory_unlock({QueryAnalyzer.ReviewLockKey})", other))
        {
            await release.ExecuteNonQueryAsync();
        }

        Assert.NotNull(await Analyzer.ReviewAsync());
    }

    [Theory]
    [InlineData("((token_hash = $1) AND (status = 'active'::text))", "token_hash,status")]
    [InlineData("(direction = 0)", "direction")]
    [InlineData("((gate_id = $1) AND (occurred_at >= $2))", "gate_id,occurred_at")]
    [InlineData(null, "")]
    public void Filter_columns_are_read_from_a_plan_filter(string? filter, string expected)
        => Assert.Equal(expected, string.Join(",", StorageAdvisor.FilterColumns(filter)));
}
