using EventKit.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Npgsql;
using StackExchange.Redis;

namespace EventKit.Testing.Tests;

/// <summary>What every fixture must give, whichever server it got: shared by the local-server and the container tests.</summary>
public static class FixtureScenarios
{
    /// <summary>The tables of EventKit.Storage's schema exist and schema_migrations holds every version.</summary>
    public static async Task AssertMigratedAsync(EventKitPostgresFixture database)
    {
        foreach (var table in new[] { "events", "participants", "gates", "attendance_records", "gateways", "scanners" })
        {
            await using var exists = database.DataSource.CreateCommand("SELECT to_regclass($1) IS NOT NULL");
            exists.Parameters.Add(new NpgsqlParameter { Value = "public." + table });
            Assert.True((bool)(await exists.ExecuteScalarAsync())!, $"table {table} is missing");
        }

        await using var versions = database.DataSource.CreateCommand("SELECT max(version), count(*) FROM schema_migrations");
        await using var reader = await versions.ExecuteReaderAsync();
        Assert.True(await reader.ReadAsync());
        Assert.Equal(PostgresStorageMigrations.LatestVersion, reader.GetInt32(0));
        Assert.Equal(PostgresStorageMigrations.LatestVersion, reader.GetInt64(1));
        Assert.Equal(Enumerable.Range(1, PostgresStorageMigrations.LatestVersion), database.AppliedMigrations);
        Assert.Equal(database.DatabaseName, new NpgsqlConnectionStringBuilder(database.ConnectionString).Database);
    }

    /// <summary>
    /// A host on the fixtures (AddPostgresStorage on the fixture's connection string, without running migrations itself;
    /// the Redis claims under the fixture's prefix) admits a participant once, writes the row, and answers the second scan
    /// with a duplicate; the claims' keys are under the fixture's prefix.
    /// </summary>
    public static async Task AssertCheckInWorksAsync(EventKitPostgresFixture database, EventKitRedisFixture redis)
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Services.AddEventKit(o => o.EventId = 1)
            .AddPostgresStorage(o =>
            {
                o.ConnectionString = database.ConnectionString;
                o.ApplyMigrationsOnStart = false;
                o.MinPoolSize = 0;
                o.MaxPoolSize = 10;
            })
            .AddRedis(o =>
            {
                o.Configuration = redis.Configuration;
                o.KeyPrefix = redis.KeyPrefix + "eventkit:";
            })
            .AddRedisCheckInClaims(o => o.KeyPrefix = redis.KeyPrefix + "claims:");
        using var host = builder.Build();
        await host.StartAsync();
        try
        {
            var gate = await host.Services.GetRequiredService<IGateRegistry>().CreateAsync(1, "Main", GateKind.Entrance, isOpen: true);
            var token = "T" + Guid.NewGuid().ToString("N");
            await host.Services.GetRequiredService<IParticipantRegistry>().RegisterAsync(1, [new NewParticipant("Ada Lovelace", token)]);
            var checkIns = host.Services.GetRequiredService<ICheckInService>();

            var first = await checkIns.CheckInAsync(CheckInRequest.ForToken(gate.Id, token));
            var second = await checkIns.CheckInAsync(CheckInRequest.ForToken(gate.Id, token));

            Assert.Equal(CheckInStatus.Admitted, first.Status);
            Assert.Equal(CheckInStatus.Duplicate, second.Status);
            await using var rows = database.DataSource.CreateCommand("SELECT count(*) FROM attendance_records WHERE participant_id = $1");
            rows.Parameters.Add(new NpgsqlParameter { Value = first.ParticipantId!.Value });
            Assert.Equal(1L, (long)(await rows.ExecuteScalarAsync())!);
            Assert.NotEmpty(await KeysAsync(redis.Connection, redis.KeyPrefix + "claims:*"));
        }
        finally
        {
            await host.StopAsync();
        }
    }

    /// <summary>Whether a database of that name exists on the server behind <paramref name="dataSource"/>.</summary>
    public static async Task<bool> DatabaseExistsAsync(NpgsqlDataSource dataSource, string name)
    {
        await using var command = dataSource.CreateCommand("SELECT count(*) FROM pg_database WHERE datname = $1");
        command.Parameters.Add(new NpgsqlParameter { Value = name });
        return (long)(await command.ExecuteScalarAsync())! == 1;
    }

    /// <summary>The keys matching <paramref name="pattern"/> on every primary.</summary>
    public static async Task<List<string>> KeysAsync(IConnectionMultiplexer connection, string pattern)
    {
        var keys = new List<string>();
        foreach (var endpoint in connection.GetEndPoints())
        {
            var server = connection.GetServer(endpoint);
            if (server.IsReplica)
            {
                continue;
            }

            await foreach (var key in server.KeysAsync(pattern: pattern))
            {
                keys.Add(key.ToString());
            }
        }

        return keys;
    }

    /// <summary>
    /// Writes keys under the fixture's prefix and one outside it; after the fixture is disposed, only the outside key is
    /// left (checked through <paramref name="observer"/>, another connection to the same server).
    /// </summary>
    public static async Task AssertRedisCleansUpOnlyItsKeysAsync(EventKitRedisFixture redis, IConnectionMultiplexer observer)
    {
        var db = redis.Connection.GetDatabase();
        for (var i = 0; i < 2500; i++)
        {
            _ = db.StringSetAsync(redis.KeyPrefix + "k" + i, i, flags: CommandFlags.FireAndForget);
        }

        var outside = "ek-test-outside:" + Guid.NewGuid().ToString("N");
        await db.StringSetAsync(outside, "stays", TimeSpan.FromMinutes(5));
        await db.PingAsync();
        Assert.Equal(2500, (await KeysAsync(observer, redis.KeyPrefix + "*")).Count);

        await redis.DisposeAsync();

        Assert.Empty(await KeysAsync(observer, redis.KeyPrefix + "*"));
        var other = observer.GetDatabase();
        Assert.Equal("stays", (string?)await other.StringGetAsync(outside));
        await other.KeyDeleteAsync(outside);
    }
}
