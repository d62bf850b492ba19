using EventKit.Storage;
using EventKit.Testing;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace EventKit.Monitoring.Tests.Internal;

/// <summary>
/// The whole recovery loop on a fake clock over a real PostgreSQL: a built-in rule fires, its action runs, the metric
/// the rule reads recovers because of what the action did, and the alert resolves, with one audit entry.
/// </summary>
[Collection(NpgsqlMetersCollection.Name)]
public sealed class RecoveryLoopTests : IAsyncLifetime
{
    private const string NextQuarter = "attendance_records_p202701";   // the harness's clock is in December 2026

    private readonly PostgresFixture _database = new();

    public async Task InitializeAsync()
    {
        await _database.InitializeAsync();
        await PostgresStorageMigrations.ApplyAsync(_database.DataSource);
    }

    public async Task DisposeAsync() => await _database.DisposeAsync();

    [Fact]
    public async Task Partition_missing_fires_runs_partition_maintenance_and_resolves_when_the_partition_is_back()
    {
        using var harness = new MonitoringHarness(
            o => o.IncludeBuiltInRules = true,
            services => services.AddEventKit().AddPostgresStorage(o =>
            {
                o.ConnectionString = _database.ConnectionString;
                o.MinPoolSize = 0;
                o.MaxPoolSize = 5;
                o.Maintenance.LockTimeout = TimeSpan.FromMilliseconds(100);
            }));
        var maintenance = harness.Services.GetServices<IRecoveryAction>().Single(a => a.Name == RecoveryActionNames.RunPartitionMaintenance);
        var context = new RecoveryContext("setup", null, 1, AlertSeverity.Warning, harness.Time.GetUtcNow());

        // Maintenance runs once (all partitions ahead), then next quarter's partition is dropped and a lock keeps the
        // next run from recreating it: maintenance reports 0 partitions ahead.
        Assert.True((await maintenance.ExecuteAsync(context, CancellationToken.None)).Succeeded);
        await ExecuteAsync($"DROP TABLE {NextQuarter}");
        await using (var blocker = await _database.DataSource.OpenConnectionAsync())
        {
            await using var transaction = await blocker.BeginTransactionAsync();
            await using (var lockDefault = new NpgsqlCommand("LOCK TABLE attendance_records_default IN SHARE MODE", blocker, transaction))
            {
                await lockDefault.ExecuteNonQueryAsync();
            }

            await Assert.ThrowsAsync<PostgresException>(async () => await maintenance.ExecuteAsync(context, CancellationToken.None));
        }

        Assert.False(await PartitionExistsAsync());

        // A whole minute of 0: the rule fires and its action starts, off the evaluation thread.
        harness.Seconds(61);
        Assert.Equal(AlertState.Firing, harness.Alert("partition_missing").State);
        await Eventually.TrueAsync(
            () => harness.Engine.GetRecoveryAudit().Any(a => a.Action == RecoveryActionNames.RunPartitionMaintenance && a.Outcome == RecoveryOutcome.Succeeded),
            "run_partition_maintenance succeeded",
            TimeSpan.FromSeconds(30));
        Assert.True(await PartitionExistsAsync());

        // The gauge reads 4 again: the next evaluation resolves the alert, and nothing runs twice.
        harness.Seconds(1);
        Assert.Equal(AlertState.Resolved, harness.Alert("partition_missing").State);
        harness.Seconds(120);
        Assert.Equal(AlertState.Resolved, harness.Alert("partition_missing").State);
        var entry = Assert.Single(harness.Engine.GetRecoveryAudit());
        Assert.Equal("partition_missing", entry.Rule);
        Assert.Contains(NextQuarter, entry.Detail, StringComparison.Ordinal);
    }

    private async Task ExecuteAsync(string sql)
    {
        await using var command = _database.DataSource.CreateCommand(sql);
        await command.ExecuteNonQueryAsync();
    }

    private async Task<bool> PartitionExistsAsync()
    {
        await using var command = _database.DataSource.CreateCommand($"SELECT to_regclass('{NextQuarter}') IS NOT NULL");
        return (bool)(await command.ExecuteScalarAsync())!;
    }
}
