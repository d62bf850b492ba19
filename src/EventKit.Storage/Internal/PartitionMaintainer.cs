using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;

namespace EventKit.Storage.Internal;

/// <summary>
/// Keeps <c>attendance_records</c> partitions created ahead, moves rows out of the default
/// partition, detaches (and optionally drops) partitions past retention, and runs VACUUM (ANALYZE).
/// One node at a time (advisory lock); every DDL runs with <c>lock_timeout</c>.
/// </summary>
internal sealed class PartitionMaintainer(StorageDataSources sources, IOptions<PostgresStorageOptions> options, TimeProvider time, ILogger<PartitionMaintainer> logger, StorageTelemetry telemetry)
{
    /// <summary>"EKMAINT\0" as ASCII.</summary>
    internal const long LockKey = 0x454B_4D41_494E_5400;

    internal const string Parent = "attendance_records";
    internal const string DefaultPartition = "attendance_records_default";

    private static readonly string[] VacuumTables = ["participants", "gates", Parent];

    private StorageMaintenanceOptions Options => options.Value.Maintenance;

    /// <summary>The start of the partition period holding <paramref name="instant"/>.</summary>
    internal static DateTimeOffset PeriodStart(DateTimeOffset instant, int months)
    {
        var utc = instant.ToUniversalTime();
        var month = ((utc.Month - 1) / months * months) + 1;
        return new DateTimeOffset(utc.Year, month, 1, 0, 0, 0, TimeSpan.Zero);
    }

    /// <summary>The partition name for a period; generated here, never from input.</summary>
    internal static string PartitionName(DateTimeOffset start) => string.Create(CultureInfo.InvariantCulture, $"{Parent}_p{start:yyyyMM}");

    public async Task<PartitionMaintenanceResult> RunOnceAsync(CancellationToken cancellationToken)
    {
        var connection = await sources.Write.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            if (!await TryLockAsync(connection, cancellationToken).ConfigureAwait(false))
            {
                Log.MaintenanceLockBusy(logger);
                return new PartitionMaintenanceResult(false, [], 0, []);
            }

            try
            {
                await SetLockTimeoutAsync(connection, cancellationToken).ConfigureAwait(false);
                var existing = await ReadPartitionsAsync(connection, cancellationToken).ConfigureAwait(false);

                // Published before any DDL: when creating the next partition fails (lock timeout), the gauge says it is missing.
                telemetry.PartitionsAhead = PeriodsAhead(existing);
                var created = new List<string>();
                long rescued = 0;
                foreach (var start in await WantedPeriodsAsync(connection, cancellationToken).ConfigureAwait(false))
                {
                    var end = start.AddMonths(Options.PartitionMonths);
                    if (Overlaps(existing, start, end))
                    {
                        continue;
                    }

                    var name = PartitionName(start);
                    var moved = await CreatePartitionAsync(connection, name, start, end, cancellationToken).ConfigureAwait(false);
                    existing.Add(new PartitionInfo(name, start, end));
                    telemetry.PartitionsAhead = PeriodsAhead(existing);
                    created.Add(name);
                    rescued += moved;
                    Log.PartitionCreated(logger, name, moved);
                }

                var detached = await ApplyRetentionAsync(connection, existing, cancellationToken).ConfigureAwait(false);
                return new PartitionMaintenanceResult(true, created, rescued, detached);
            }
            finally
            {
                await ReleaseAsync(connection).ConfigureAwait(false);
            }
        }
    }

    /// <summary>VACUUM (ANALYZE) of EventKit's tables. Autovacuum never analyses a partitioned parent, so its statistics come only from here.</summary>
    public async Task VacuumAsync(CancellationToken cancellationToken)
    {
        var connection = await sources.Write.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            if (!await TryLockAsync(connection, cancellationToken).ConfigureAwait(false))
            {
                Log.MaintenanceLockBusy(logger);
                return;
            }

            try
            {
                await SetLockTimeoutAsync(connection, cancellationToken).ConfigureAwait(false);
                foreach (var table in VacuumTables)
                {
                    var started = Stopwatch.GetTimestamp();
                    await ExecuteAsync(connection, $"VACUUM (ANALYZE, SKIP_LOCKED) {SqlIdentifier.Quote(table)}", cancellationToken).ConfigureAwait(false);
                    Log.Vacuumed(logger, table, Stopwatch.GetElapsedTime(started).TotalMilliseconds);
                }
            }
            finally
            {
                await ReleaseAsync(connection).ConfigureAwait(false);
            }
        }
    }

    internal static async Task<List<PartitionInfo>> ReadPartitionsAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        const string sql =
            "SELECT c.relname, " +
            "(regexp_match(pg_get_expr(c.relpartbound, c.oid), 'FROM \\(''([^'']+)''\\)'))[1]::timestamptz, " +
            "(regexp_match(pg_get_expr(c.relpartbound, c.oid), 'TO \\(''([^'']+)''\\)'))[1]::timestamptz " +
            "FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid " +
            "WHERE i.inhparent = 'attendance_records'::regclass AND pg_get_expr(c.relpartbound, c.oid) <> 'DEFAULT'";
        using var command = new NpgsqlCommand(sql, connection);
        return await Mapping.ReadAllAsync(
            command,
            static r => new PartitionInfo(r.GetString(0), new DateTimeOffset(r.GetDateTime(1), TimeSpan.Zero), new DateTimeOffset(r.GetDateTime(2), TimeSpan.Zero)),
            cancellationToken).ConfigureAwait(false);
    }

    /// <summary>How many consecutive periods after the current one partitions cover.</summary>
    private int PeriodsAhead(List<PartitionInfo> existing)
    {
        var months = Options.PartitionMonths;
        var start = PeriodStart(time.GetUtcNow(), months);
        var ahead = 0;
        for (var i = 1; i <= 40; i++)
        {
            var from = start.AddMonths(i * months);
            if (!Overlaps(existing, from, from.AddMonths(months)))
            {
                break;
            }

            ahead = i;
        }

        return ahead;
    }

    private static bool Overlaps(List<PartitionInfo> existing, DateTimeOffset start, DateTimeOffset end)
    {
        foreach (var p in existing)
        {
            if (p.From < end && start < p.To)
            {
                return true;
            }
        }

        return false;
    }

    private async Task<SortedSet<DateTimeOffset>> WantedPeriodsAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        var months = Options.PartitionMonths;
        var wanted = new SortedSet<DateTimeOffset>();
        var current = PeriodStart(time.GetUtcNow(), months);
        for (var i = 0; i <= Options.PartitionsAhead; i++)
        {
            wanted.Add(current.AddMonths(i * months));
        }

        // Periods that rows in the default partition belong to: creating them rescues the rows.
        using var command = new NpgsqlCommand(
            $"SELECT DISTINCT date_trunc('month', occurred_at AT TIME ZONE 'UTC') FROM {DefaultPartition}", connection);
        foreach (var month in await Mapping.ReadAllAsync(command, static r => r.GetDateTime(0), cancellationToken).ConfigureAwait(false))
        {
            wanted.Add(PeriodStart(new DateTimeOffset(DateTime.SpecifyKind(month, DateTimeKind.Utc)), months));
        }

        return wanted;
    }

    private async Task<long> CreatePartitionAsync(NpgsqlConnection connection, string name, DateTimeOffset start, DateTimeOffset end, CancellationToken cancellationToken)
    {
        var table = SqlIdentifier.Quote(name);
        var from = Literal(start);
        var to = Literal(end);
        var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        await using (transaction.ConfigureAwait(false))
        {
            // Build the table detached, move the default partition's rows for the period into it,
            // then attach: attaching directly would fail while the default holds such rows.
            await ExecuteAsync(connection, $"CREATE TABLE {table} (LIKE {Parent} INCLUDING DEFAULTS INCLUDING CONSTRAINTS)", cancellationToken).ConfigureAwait(false);
            long moved;
            using (var move = new NpgsqlCommand(
                $"WITH moved AS (DELETE FROM {DefaultPartition} WHERE occurred_at >= $1 AND occurred_at < $2 RETURNING *) INSERT INTO {table} SELECT * FROM moved", connection))
            {
                move.Parameters.Add(Mapping.Param(start.UtcDateTime));
                move.Parameters.Add(Mapping.Param(end.UtcDateTime));
                moved = await move.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            }

            // Bounds are formatted from dates computed here, not taken from input.
            await ExecuteAsync(connection, $"ALTER TABLE {Parent} ATTACH PARTITION {table} FOR VALUES FROM ('{from}') TO ('{to}')", cancellationToken).ConfigureAwait(false);
            await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
            if (moved > 0)
            {
                Log.RowsRescued(logger, moved, name);
            }

            return moved;
        }
    }

    private async Task<List<string>> ApplyRetentionAsync(NpgsqlConnection connection, List<PartitionInfo> existing, CancellationToken cancellationToken)
    {
        var detached = new List<string>();
        if (Options.Retention is not { } retention)
        {
            return detached;
        }

        var cutoff = time.GetUtcNow() - retention;
        foreach (var partition in existing)
        {
            if (partition.To > cutoff)
            {
                continue;
            }

            var table = SqlIdentifier.Quote(partition.Name);
            var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
            await using (transaction.ConfigureAwait(false))
            {
                await ExecuteAsync(connection, $"ALTER TABLE {Parent} DETACH PARTITION {table}", cancellationToken).ConfigureAwait(false);
                if (Options.DropDetachedPartitions)
                {
                    await ExecuteAsync(connection, $"DROP TABLE {table}", cancellationToken).ConfigureAwait(false);
                }

                await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
            }

            detached.Add(partition.Name);
            Log.PartitionDetached(logger, partition.Name, Options.DropDetachedPartitions);
        }

        return detached;
    }

    /// <summary>
    /// Session-wide, so that every statement of the round (catalog reads and the default
    /// partition's scan included, not only the DDL) gives up instead of queueing. EventKit's pools do
    /// not reset connections on return (No Reset On Close), so <see cref="ReleaseAsync"/> resets it.
    /// </summary>
    private Task SetLockTimeoutAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
        => ExecuteAsync(connection, string.Create(CultureInfo.InvariantCulture, $"SET lock_timeout = '{(int)Options.LockTimeout.TotalMilliseconds}ms'"), cancellationToken);

    /// <summary>Undoes the round's session state before the connection returns to the pool: the lock timeout, then the advisory lock.</summary>
    private static Task ReleaseAsync(NpgsqlConnection connection)
        => ExecuteAsync(connection, $"RESET lock_timeout; SELECT pg_advisory_unlock({LockKey})", CancellationToken.None);

    private static string Literal(DateTimeOffset instant) => instant.ToUniversalTime().ToString("yyyy-MM-dd HH:mm:ss'+00'", CultureInfo.InvariantCulture);

    private static async Task<bool> TryLockAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        using var command = new NpgsqlCommand($"SELECT pg_try_advisory_lock({LockKey})", connection);
        return (bool)(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!;
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, string sql, CancellationToken cancellationToken)
    {
        using var command = new NpgsqlCommand(sql, connection) { CommandTimeout = 0 };
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    internal sealed record PartitionInfo(string Name, DateTimeOffset From, DateTimeOffset To);
}
