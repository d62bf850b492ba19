using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace EventKit.Storage.Internal;

/// <summary>Applies the embedded <c>Migrations/NNNN_name.sql</c> scripts in order, once each, recorded in <c>schema_migrations</c>.</summary>
/// <remarks>
/// Nodes starting together serialise on a session-level advisory lock. The lock is taken with
/// <c>pg_try_advisory_lock</c> in a polling loop rather than a blocking <c>pg_advisory_lock</c>:
/// a waiter blocked inside a statement holds a snapshot, and <c>CREATE INDEX CONCURRENTLY</c> in
/// the lock holder would wait for that snapshot forever.
/// </remarks>
internal sealed partial class Migrator(NpgsqlDataSource dataSource, ILogger logger, TimeProvider timeProvider)
{
    /// <summary>The advisory lock key: "EKMIGRAT" as ASCII, so it does not collide with application keys by accident.</summary>
    internal const long LockKey = 0x454B_4D49_4752_4154;

    private const string NoTransactionMarker = "-- eventkit:no-transaction";

    internal static IReadOnlyList<Migration> Migrations { get; } = Load();

    public async Task<IReadOnlyList<int>> ApplyAsync(CancellationToken cancellationToken)
    {
        var connection = await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            await AcquireLockAsync(connection, cancellationToken).ConfigureAwait(false);
            try
            {
                await ExecuteAsync(connection, "CREATE TABLE IF NOT EXISTS schema_migrations (version integer PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())", cancellationToken).ConfigureAwait(false);
                var applied = await ReadAppliedAsync(connection, cancellationToken).ConfigureAwait(false);
                var done = new List<int>();
                foreach (var migration in Migrations)
                {
                    if (applied.Contains(migration.Version))
                    {
                        continue;
                    }

                    var started = Stopwatch.GetTimestamp();
                    if (migration.InTransaction)
                    {
                        await ApplyInTransactionAsync(connection, migration, cancellationToken).ConfigureAwait(false);
                    }
                    else
                    {
                        await ApplyStatementByStatementAsync(connection, migration, cancellationToken).ConfigureAwait(false);
                    }

                    done.Add(migration.Version);
                    Log.MigrationApplied(logger, migration.Version, migration.Name, Stopwatch.GetElapsedTime(started).TotalMilliseconds);
                }

                if (done.Count == 0)
                {
                    Log.SchemaUpToDate(logger, Migrations[^1].Version);
                }

                return done;
            }
            finally
            {
                // The lock is per session; unlock explicitly because the pool keeps the session alive.
                await ExecuteAsync(connection, $"SELECT pg_advisory_unlock({LockKey})", CancellationToken.None).ConfigureAwait(false);
            }
        }
    }

    internal static IReadOnlyList<string> SplitStatements(string script)
    {
        // The scripts are EventKit's own: statements end with ';' at the end of a line, and no
        // statement contains such a line inside a literal or a function body.
        var statements = new List<string>();
        var current = new System.Text.StringBuilder();
        foreach (var rawLine in script.Split('\n'))
        {
            var line = rawLine.TrimEnd('\r');
            if (line.TrimStart().StartsWith("--", StringComparison.Ordinal))
            {
                continue;
            }

            current.AppendLine(line);
            if (line.TrimEnd().EndsWith(';'))
            {
                statements.Add(current.ToString().Trim());
                current.Clear();
            }
        }

        if (current.ToString().Trim().Length > 0)
        {
            statements.Add(current.ToString().Trim());
        }

        return statements;
    }

    private static List<Migration> Load()
    {
        var assembly = typeof(Migrator).Assembly;
        var list = new List<Migration>();
        foreach (var resource in assembly.GetManifestResourceNames())
        {
            var match = ResourceName().Match(resource);
            if (!match.Success)
            {
                continue;
            }

            using var stream = assembly.GetManifestResourceStream(resource)!;
            using var reader = new StreamReader(stream);
            var sql = reader.ReadToEnd();
            list.Add(new Migration(
                int.Parse(match.Groups["version"].Value, CultureInfo.InvariantCulture),
                match.Groups["name"].Value,
                sql,
                !sql.StartsWith(NoTransactionMarker, StringComparison.Ordinal)));
        }

        list.Sort(static (a, b) => a.Version.CompareTo(b.Version));
        // Versions are unique and increasing. A gap is allowed: numbers are handed out to branches before they merge, and
        // a version that arrives later is applied then (each version once, whatever the order).
        for (var i = 0; i < list.Count; i++)
        {
            if (list[i].Version < 1 || (i > 0 && list[i].Version == list[i - 1].Version))
            {
                throw new InvalidOperationException($"EventKit.Storage migrations must have unique positive numbers (found {list[i].Version} twice or below 1).");
            }
        }

        return list;
    }

    private async Task AcquireLockAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        var delay = TimeSpan.FromMilliseconds(20);
        while (true)
        {
            using var command = new NpgsqlCommand($"SELECT pg_try_advisory_lock({LockKey})", connection);
            if ((bool)(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!)
            {
                return;
            }

            await Task.Delay(delay, timeProvider, cancellationToken).ConfigureAwait(false);
            delay = TimeSpan.FromMilliseconds(Math.Min(delay.TotalMilliseconds * 2, 500));
        }
    }

    private static async Task<HashSet<int>> ReadAppliedAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        var applied = new HashSet<int>();
        using var command = new NpgsqlCommand("SELECT version FROM schema_migrations", connection);
        var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        await using (reader.ConfigureAwait(false))
        {
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                applied.Add(reader.GetInt32(0));
            }
        }

        return applied;
    }

    private static async Task ApplyInTransactionAsync(NpgsqlConnection connection, Migration migration, CancellationToken cancellationToken)
    {
        var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        await using (transaction.ConfigureAwait(false))
        {
            await ExecuteAsync(connection, migration.Sql, cancellationToken).ConfigureAwait(false);
            await RecordAsync(connection, migration, cancellationToken).ConfigureAwait(false);
            await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task ApplyStatementByStatementAsync(NpgsqlConnection connection, Migration migration, CancellationToken cancellationToken)
    {
        // Every statement is idempotent (IF NOT EXISTS), so a run interrupted half-way resumes here.
        foreach (var statement in SplitStatements(migration.Sql))
        {
            var index = ConcurrentIndexName().Match(statement);
            if (index.Success)
            {
                await DropIfInvalidAsync(connection, index.Groups["name"].Value, cancellationToken).ConfigureAwait(false);
            }

            await ExecuteAsync(connection, statement, cancellationToken).ConfigureAwait(false);
        }

        await RecordAsync(connection, migration, cancellationToken).ConfigureAwait(false);
    }

    private async Task DropIfInvalidAsync(NpgsqlConnection connection, string indexName, CancellationToken cancellationToken)
    {
        using var check = new NpgsqlCommand(
            "SELECT NOT i.indisvalid FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid WHERE c.relname = $1 AND pg_table_is_visible(c.oid)", connection);
        check.Parameters.Add(new NpgsqlParameter { Value = indexName });
        if (await check.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is true)
        {
            Log.DroppingInvalidIndex(logger, indexName);

            // The name comes from EventKit's own script and matched an identifier pattern; quote it anyway.
            await ExecuteAsync(connection, $"DROP INDEX CONCURRENTLY IF EXISTS {SqlIdentifier.Quote(indexName)}", cancellationToken).ConfigureAwait(false);
        }
    }

    private static async Task RecordAsync(NpgsqlConnection connection, Migration migration, CancellationToken cancellationToken)
    {
        using var record = new NpgsqlCommand("INSERT INTO schema_migrations (version, name) VALUES ($1, $2)", connection);
        record.Parameters.Add(new NpgsqlParameter { Value = migration.Version });
        record.Parameters.Add(new NpgsqlParameter { Value = migration.Name });
        await record.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, string sql, CancellationToken cancellationToken)
    {
        using var command = new NpgsqlCommand(sql, connection) { CommandTimeout = 0 };
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    [GeneratedRegex(@"\.Migrations\.(?<version>\d{4})_(?<name>[a-z0-9_]+)\.sql$")]
    private static partial Regex ResourceName();

    [GeneratedRegex(@"CREATE\s+(UNIQUE\s+)?INDEX\s+CONCURRENTLY\s+IF\s+NOT\s+EXISTS\s+(?<name>[a-z_][a-z0-9_]*)\s", RegexOptions.IgnoreCase)]
    private static partial Regex ConcurrentIndexName();

    internal sealed record Migration(int Version, string Name, string Sql, bool InTransaction);
}
