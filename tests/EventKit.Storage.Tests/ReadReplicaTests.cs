using EventKit.Storage.Internal;
using EventKit.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Npgsql;

namespace EventKit.Storage.Tests;

/// <summary>
/// A real streaming replica: with a multi-host connection string, reads that tolerate lag go to the standby, writes and
/// read-after-write reads to the primary, and reads fall back to the primary when the standby stops.
/// </summary>
public sealed class ReadReplicaTests
{
    [Fact]
    public async Task Reads_go_to_the_standby_writes_and_fresh_reads_to_the_primary_and_reads_survive_the_standby_stopping()
    {
        await using var primary = await DedicatedPostgresServer.StartNewAsync();
        await using var replica = await primary.StartReplicaAsync();
        var builder = new NpgsqlConnectionStringBuilder(primary.ConnectionString)
        {
            Host = $"127.0.0.1:{primary.Port},127.0.0.1:{replica.Port}",
            Pooling = true,
        };
        var hostBuilder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        hostBuilder.Services.AddEventKit(o => o.EventId = 1).AddPostgresStorage(o =>
        {
            o.ConnectionString = builder.ConnectionString;
            o.MinPoolSize = 0;
        });
        using var host = hostBuilder.Build();
        await host.StartAsync();
        var provider = host.Services;
        var sources = provider.GetRequiredService<StorageDataSources>();

        Assert.False(await InRecoveryAsync(sources.Write));
        Assert.True(await InRecoveryAsync(sources.Read));

        // A write on the primary reaches the standby; the read path that must see it at once reads the primary.
        await using (var create = sources.Write.CreateCommand("CREATE TABLE replica_probe (id int); INSERT INTO replica_probe VALUES (1)"))
        {
            await create.ExecuteNonQueryAsync();
        }

        await Eventually.TrueAsync(async () => await CountAsync(sources.Read) == 1, "the standby replays the insert");

        // With the standby's replay paused (a lagging replica), a check-in's record is missing from lag-tolerant reads but
        // present in the reads that must see it: the participant's summary and the claims' "anything admitted?" check.
        await Eventually.TrueAsync(async () => await TableExistsAsync(sources.Read, "attendance_records"), "the standby has the schema");
        await using (var pause = new NpgsqlConnection(replica.ConnectionString))
        {
            await pause.OpenAsync();
            await using var command = new NpgsqlCommand("SELECT pg_wal_replay_pause()", pause);
            await command.ExecuteNonQueryAsync();
        }

        var now = DateTimeOffset.UtcNow;
        var writer = provider.GetRequiredService<IAttendanceWriter>();
        await writer.AppendAsync(AttendanceRecord.Create(1, 42, 7, CheckInMethod.Qr, AttendanceDirection.In, now));
        var reader = provider.GetRequiredService<IAttendanceReader>();

        Assert.Equal(0, await reader.CountAtGateSinceAsync(7, now.AddMinutes(-1)));
        Assert.Equal(1, Assert.Single(await reader.GetSummariesAsync([42])).Count);
        Assert.True(await reader.AnyRecordSinceAsync(now.AddMinutes(-1)));

        // The standby stops (crash): reads go to the primary. Npgsql drops the dead pool's connections on their first
        // error and marks the host offline; the caller's retry, or the next read, lands on the primary.
        await replica.StopAsync();
        await Eventually.TrueAsync(
            async () =>
            {
                try
                {
                    return !await InRecoveryAsync(sources.Read);
                }
                catch (NpgsqlException)
                {
                    return false;
                }
            },
            "reads fall back to the primary");
        Assert.Equal(1, await CountAsync(sources.Read));
        await host.StopAsync();
    }

    private static async Task<bool> TableExistsAsync(NpgsqlDataSource source, string table)
    {
        await using var command = source.CreateCommand("SELECT to_regclass($1) IS NOT NULL");
        command.Parameters.Add(new NpgsqlParameter { Value = table });
        return (bool)(await command.ExecuteScalarAsync())!;
    }

    private static async Task<bool> InRecoveryAsync(NpgsqlDataSource source)
    {
        await using var command = source.CreateCommand("SELECT pg_is_in_recovery()");
        return (bool)(await command.ExecuteScalarAsync())!;
    }

    private static async Task<long> CountAsync(NpgsqlDataSource source)
    {
        await using var command = source.CreateCommand("SELECT count(*) FROM replica_probe");
        try
        {
            return (long)(await command.ExecuteScalarAsync())!;
        }
        catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.UndefinedTable)
        {
            return 0;
        }
    }
}
