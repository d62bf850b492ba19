using EventKit.Storage.Internal;
using EventKit.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace EventKit.Storage.Tests.Internal;

public sealed class PartitionMaintainerTests
{
    private static readonly DateTimeOffset Start = new(2026, 11, 21, 9, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task Keeps_the_current_and_next_four_quarters_created_and_is_idempotent()
    {
        await using var db = await Database.CreateAsync();
        var maintainer = db.Maintainer();

        var first = await maintainer.RunOnceAsync(CancellationToken.None);
        var second = await maintainer.RunOnceAsync(CancellationToken.None);

        Assert.True(first.Ran);
        Assert.Equal(
            ["attendance_records_p202610", "attendance_records_p202701", "attendance_records_p202704", "attendance_records_p202707", "attendance_records_p202710"],
            first.Created);
        Assert.Empty(second.Created);
        Assert.Equal(["attendance_records_default", .. first.Created], await db.PartitionsAsync());
    }

    [Fact]
    public async Task Moves_rows_from_the_default_partition_into_a_partition_created_for_them()
    {
        await using var db = await Database.CreateAsync();
        await db.ExecuteAsync(
            "INSERT INTO attendance_records (id, event_id, participant_id, gate_id, method, direction, credential_kind, occurred_at) VALUES " +
            "(gen_random_uuid(), 1, 1, 1, 0, 0, 0, '2031-02-10T10:00:00Z'), (gen_random_uuid(), 1, 2, 1, 0, 0, 0, '2031-03-31T23:59:59Z'), " +
            "(gen_random_uuid(), 1, 3, 1, 0, 0, 0, '2026-12-01T00:00:00Z')");
        Assert.Equal(3, await db.ScalarAsync("SELECT count(*) FROM attendance_records_default"));

        var result = await db.Maintainer().RunOnceAsync(CancellationToken.None);

        Assert.Contains("attendance_records_p203101", result.Created);
        Assert.Equal(3, result.RescuedRows);
        Assert.Equal(0, await db.ScalarAsync("SELECT count(*) FROM attendance_records_default"));
        Assert.Equal(2, await db.ScalarAsync("SELECT count(*) FROM attendance_records_p203101"));
        Assert.Equal(3, await db.ScalarAsync("SELECT count(*) FROM attendance_records"));
    }

    [Fact]
    public async Task Detaches_and_drops_partitions_past_retention()
    {
        await using var db = await Database.CreateAsync(o =>
        {
            o.Maintenance.Retention = TimeSpan.FromDays(200);
            o.Maintenance.DropDetachedPartitions = true;
        });
        var maintainer = db.Maintainer();
        await maintainer.RunOnceAsync(CancellationToken.None);

        db.Time.SetUtcNow(new DateTimeOffset(2027, 12, 1, 0, 0, 0, TimeSpan.Zero));
        var later = await maintainer.RunOnceAsync(CancellationToken.None);

        // Cut-off 2027-05-15: the quarters ending 2027-01-01 and 2027-04-01 go.
        Assert.Equal(["attendance_records_p202610", "attendance_records_p202701"], later.Detached);
        Assert.Contains("attendance_records_p202801", later.Created);
        var partitions = await db.PartitionsAsync();
        Assert.DoesNotContain("attendance_records_p202610", partitions);
        Assert.Equal(0, await db.ScalarAsync("SELECT count(*) FROM pg_class WHERE relname = 'attendance_records_p202610'"));
    }

    [Fact]
    public async Task Skips_the_round_while_another_node_holds_the_lock()
    {
        await using var db = await Database.CreateAsync();
        await using var other = await db.Fixture.DataSource.OpenConnectionAsync();
        await using (var take = new Npgsql.NpgsqlCommand($"SELECT pg_advisory_lock({PartitionMaintainer.LockKey})", other))
        {
            await take.ExecuteNonQueryAsync();
        }

        var result = await db.Maintainer().RunOnceAsync(CancellationToken.None);

        Assert.False(result.Ran);
        Assert.Equal(["attendance_records_default"], await db.PartitionsAsync());
    }

    [Fact]
    public async Task Leaves_no_lock_timeout_on_the_pooled_connection_it_returns()
    {
        // One pooled connection, not reset on return (EventKit's default): whatever the round sets on it, the next user sees.
        await using var db = await Database.CreateAsync(o =>
        {
            o.MinPoolSize = 0;
            o.MaxPoolSize = 1;
            o.Maintenance.LockTimeout = TimeSpan.FromMilliseconds(1234);
        });
        var sources = db.Provider.GetRequiredService<StorageDataSources>();
        Assert.True(new Npgsql.NpgsqlConnectionStringBuilder(sources.Write.ConnectionString).NoResetOnClose);

        Assert.True((await db.Maintainer().RunOnceAsync(CancellationToken.None)).Ran);
        await db.Maintainer().VacuumAsync(CancellationToken.None);

        await using var show = sources.Write.CreateCommand("SELECT current_setting('lock_timeout'), (SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND pid = pg_backend_pid())");
        await using var reader = await show.ExecuteReaderAsync();
        Assert.True(await reader.ReadAsync());
        Assert.Equal("0", reader.GetString(0));
        Assert.Equal(0, reader.GetInt64(1));
    }

    [Fact]
    public async Task Gives_up_on_a_lock_after_lock_timeout_instead_of_queueing_ingestion_behind_it()
    {
        await using var db = await Database.CreateAsync(o => o.Maintenance.LockTimeout = TimeSpan.FromMilliseconds(100));
        await using var blocker = await db.Fixture.DataSource.OpenConnectionAsync();
        await using var transaction = await blocker.BeginTransactionAsync();
        await using (var lockDefault = new Npgsql.NpgsqlCommand("LOCK TABLE attendance_records_default IN ACCESS EXCLUSIVE MODE", blocker, transaction))
        {
            await lockDefault.ExecuteNonQueryAsync();
        }

        var e = await Assert.ThrowsAsync<Npgsql.PostgresException>(() => db.Maintainer().RunOnceAsync(CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(60)));

        Assert.Equal(Npgsql.PostgresErrorCodes.LockNotAvailable, e.SqlState);
        await transaction.RollbackAsync();
        Assert.NotEmpty((await db.Maintainer().RunOnceAsync(CancellationToken.None)).Created);
    }

    [Fact]
    public void Periods_align_with_the_calendar()
    {
        Assert.Equal(new DateTimeOffset(2026, 10, 1, 0, 0, 0, TimeSpan.Zero), PartitionMaintainer.PeriodStart(Start, 3));
        Assert.Equal(new DateTimeOffset(2026, 7, 1, 0, 0, 0, TimeSpan.Zero), PartitionMaintainer.PeriodStart(Start, 6));
        Assert.Equal(new DateTimeOffset(2026, 11, 1, 0, 0, 0, TimeSpan.Zero), PartitionMaintainer.PeriodStart(Start, 1));
        Assert.Equal("attendance_records_p202610", PartitionMaintainer.PartitionName(new DateTimeOffset(2026, 10, 1, 0, 0, 0, TimeSpan.Zero)));
    }

    /// <summary>A fresh migrated database with no partitions yet and a manual clock.</summary>
    [Fact]
    public async Task Partitions_ahead_gauge_says_zero_when_the_next_quarter_could_not_be_created()
    {
        await using var db = await Database.CreateAsync(o => o.Maintenance.LockTimeout = TimeSpan.FromMilliseconds(100));
        var telemetry = db.Telemetry();
        Assert.Equal(-1, telemetry.PartitionsAhead);   // not looked yet: nothing is reported
        await db.Maintainer().RunOnceAsync(CancellationToken.None);
        Assert.Equal(4, telemetry.PartitionsAhead);
        Assert.Equal([4L], Observe());

        // Next quarter's partition is gone and a lock keeps maintenance from recreating it (SHARE: reads pass, the
        // move out of the default partition and the ATTACH wait).
        await db.ExecuteAsync("DROP TABLE attendance_records_p202701");
        await using var blocker = await db.Fixture.DataSource.OpenConnectionAsync();
        await using var transaction = await blocker.BeginTransactionAsync();
        await using (var lockDefault = new Npgsql.NpgsqlCommand("LOCK TABLE attendance_records_default IN SHARE MODE", blocker, transaction))
        {
            await lockDefault.ExecuteNonQueryAsync();
        }

        await Assert.ThrowsAsync<Npgsql.PostgresException>(() => db.Maintainer().RunOnceAsync(CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(60)));
        Assert.Equal([0L], Observe());

        await transaction.RollbackAsync();
        await db.Maintainer().RunOnceAsync(CancellationToken.None);
        Assert.Equal([4L], Observe());

        List<long> Observe()
        {
            var values = new List<long>();
            using var listener = new System.Diagnostics.Metrics.MeterListener();
            listener.InstrumentPublished = (instrument, l) =>
            {
                if (instrument.Meter == telemetry.Meter && instrument.Name == StorageTelemetry.PartitionsAheadInstrument)
                {
                    l.EnableMeasurementEvents(instrument);
                }
            };
            listener.SetMeasurementEventCallback<int>((_, value, _, _) => values.Add(value));
            listener.Start();
            listener.RecordObservableInstruments();
            return values;
        }
    }

    private sealed class Database : IAsyncDisposable
    {
        private ServiceProvider? _provider;

        public PostgresFixture Fixture { get; } = new();

        public FakeTimeProvider Time { get; } = new(Start);

        public static async Task<Database> CreateAsync(Action<PostgresStorageOptions>? configure = null)
        {
            var db = new Database();
            await db.Fixture.InitializeAsync();
            await PostgresStorageMigrations.ApplyAsync(db.Fixture.DataSource);
            db._provider = StorageFixture.BuildProvider(db.Fixture.ConnectionString, configure, db.Time);
            return db;
        }

        public async Task<long> ScalarAsync(string sql)
        {
            await using var command = Fixture.DataSource.CreateCommand(sql);
            return (long)(await command.ExecuteScalarAsync())!;
        }

        public async Task ExecuteAsync(string sql)
        {
            await using var command = Fixture.DataSource.CreateCommand(sql);
            await command.ExecuteNonQueryAsync();
        }

        public ServiceProvider Provider => _provider!;

        public PartitionMaintainer Maintainer() => _provider!.GetRequiredService<PartitionMaintainer>();

        public StorageTelemetry Telemetry() => _provider!.GetRequiredService<StorageTelemetry>();

        public Task<List<string>> PartitionsAsync() => StorageFixture.PartitionNamesAsync(Fixture.DataSource);

        public async ValueTask DisposeAsync()
        {
            if (_provider is not null)
            {
                await _provider.DisposeAsync();
            }

            await Fixture.DisposeAsync();
        }
    }
}
