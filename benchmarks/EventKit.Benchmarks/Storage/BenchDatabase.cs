using EventKit.Storage;
using EventKit.Storage.Internal;
using EventKit.Testing;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace EventKit.Benchmarks.Storage;

/// <summary>
/// A named database on the test server (<c>EVENTKIT_POSTGRES</c>), migrated and seeded once and
/// reused by every benchmark process of a suite (BenchmarkDotNet runs each case in its own
/// process). Drop them with <c>DROP DATABASE ek_bench_…</c> when done.
/// </summary>
internal static class BenchDatabase
{
    public static async Task<string> EnsureAsync(string name, Func<ServiceProvider, NpgsqlDataSource, Task> seed)
    {
        var admin = new NpgsqlConnectionStringBuilder(TestServers.Postgres) { Database = "postgres", Pooling = false };
        var connectionString = new NpgsqlConnectionStringBuilder(TestServers.Postgres) { Database = name }.ConnectionString;
        await using (var connection = new NpgsqlConnection(admin.ConnectionString))
        {
            await connection.OpenAsync();
            await using var exists = new NpgsqlCommand("SELECT count(*) FROM pg_database WHERE datname = $1", connection);
            exists.Parameters.Add(new NpgsqlParameter { Value = name });
            if ((long)(await exists.ExecuteScalarAsync())! == 0)
            {
                await using var create = new NpgsqlCommand($"CREATE DATABASE {SqlIdentifier.Quote(name)}", connection);
                await create.ExecuteNonQueryAsync();
            }
        }

        await using var dataSource = NpgsqlDataSource.Create(connectionString);
        await PostgresStorageMigrations.ApplyAsync(dataSource);
        await using (var marker = dataSource.CreateCommand("CREATE TABLE IF NOT EXISTS bench_seeded (done boolean)"))
        {
            await marker.ExecuteNonQueryAsync();
        }

        await using (var seeded = dataSource.CreateCommand("SELECT count(*) FROM bench_seeded"))
        {
            if ((long)(await seeded.ExecuteScalarAsync())! == 0)
            {
                await using var provider = Provider(connectionString);
                await provider.GetRequiredService<PartitionMaintainer>().RunOnceAsync(CancellationToken.None);
                await seed(provider, dataSource);
                await provider.GetRequiredService<PartitionMaintainer>().RunOnceAsync(CancellationToken.None);
                await ExecuteAsync(dataSource, "VACUUM ANALYZE");
                await ExecuteAsync(dataSource, "INSERT INTO bench_seeded VALUES (true)");
            }
        }

        return connectionString;
    }

    public static ServiceProvider Provider(string connectionString, Action<PostgresStorageOptions>? configure = null)
    {
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddEventKit().AddPostgresStorage(o =>
        {
            o.ConnectionString = connectionString;
            o.MinPoolSize = 0;
            configure?.Invoke(o);
        });
        return services.BuildServiceProvider();
    }

    public static async Task ExecuteAsync(NpgsqlDataSource dataSource, string sql)
    {
        await using var command = dataSource.CreateCommand(sql);
        command.CommandTimeout = 600;
        await command.ExecuteNonQueryAsync();
    }

    /// <summary>Attendance rows spread over <paramref name="days"/> days before 2026-11-20, 20 gates, <paramref name="participants"/> participants.</summary>
    public static string SeedAttendanceSql(int rows, int participants, int days) => SeedAttendanceSql(rows, participants, days, 1, rows);

    /// <summary>Rows <paramref name="first"/> to <paramref name="last"/> of <see cref="SeedAttendanceSql(int, int, int)"/>, for seeding in chunks.</summary>
    public static string SeedAttendanceSql(int rows, int participants, int days, int first, int last)
        => "INSERT INTO attendance_records (id, event_id, participant_id, gate_id, method, direction, credential_kind, occurred_at) " +
           $"SELECT gen_random_uuid(), 1, 1 + (g % {participants}), 1 + (g % 20), g % 4, 0, 0, timestamptz '2026-11-20' - (g::float8 / {rows} * {days}) * interval '1 day' " +
           $"FROM generate_series({first}, {last}) g";
}
