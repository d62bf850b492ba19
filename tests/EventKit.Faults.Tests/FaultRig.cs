using System.Globalization;
using EventKit.Testing;
using Npgsql;

namespace EventKit.Faults.Tests;

/// <summary>
/// The servers of the fault suite, shared by its scenarios (one at a time): a private PostgreSQL cluster with
/// <c>fsync=on</c> (the durability scenarios must mean it; <c>EVENTKIT_PG_FSYNC=off</c> turns it off for a quick local
/// run) and a private redis-server, each behind a <see cref="TcpProxy"/> that the hosts connect through. Each scenario
/// gets a fresh database and an empty Redis.
/// </summary>
public sealed class FaultRig : IAsyncLifetime
{
    private int _databases;

    internal DedicatedPostgresServer Postgres { get; private set; } = null!;

    internal DedicatedRedisServer Redis { get; private set; } = null!;

    internal TcpProxy PostgresProxy { get; private set; } = null!;

    internal TcpProxy RedisProxy { get; private set; } = null!;

    /// <summary>Whether <c>EVENTKIT_FAULTS_LONG=1</c> asks for the long variant (longer phases and faults).</summary>
    internal static bool Long => Environment.GetEnvironmentVariable("EVENTKIT_FAULTS_LONG") == "1";

    internal static bool FsyncOn => !string.Equals(Environment.GetEnvironmentVariable("EVENTKIT_PG_FSYNC"), "off", StringComparison.OrdinalIgnoreCase);

    public async Task InitializeAsync()
    {
        Postgres = await DedicatedPostgresServer.StartNewAsync(fsync: FsyncOn);
        Redis = await DedicatedRedisServer.StartNewAsync();
        PostgresProxy = TcpProxy.Start(Postgres.Port);
        RedisProxy = TcpProxy.Start(Redis.Port);
    }

    public async Task DisposeAsync()
    {
        await PostgresProxy.DisposeAsync();
        await RedisProxy.DisposeAsync();
        await Redis.DisposeAsync();
        await Postgres.DisposeAsync();
    }

    /// <summary>A fresh database; returns its direct connection string (the hosts get the proxied one).</summary>
    internal async Task<string> CreateDatabaseAsync()
    {
        var name = "faults_" + Interlocked.Increment(ref _databases).ToString(CultureInfo.InvariantCulture);
        await using (var connection = new NpgsqlConnection(Postgres.ConnectionString + ";Pooling=false"))
        {
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand($"CREATE DATABASE {name}", connection);
            await command.ExecuteNonQueryAsync();
        }

        return new NpgsqlConnectionStringBuilder(Postgres.ConnectionString) { Database = name }.ConnectionString;
    }

    /// <summary>The connection string a host uses: through the proxy, with the product's default timeouts.</summary>
    internal string ProxiedPostgres(string direct)
        => new NpgsqlConnectionStringBuilder(direct) { Port = PostgresProxy.Port }.ConnectionString;

    internal string ProxiedRedis => $"127.0.0.1:{RedisProxy.Port.ToString(CultureInfo.InvariantCulture)}";

    /// <summary>Heals both proxies and restarts Redis empty, so a scenario starts from nothing.</summary>
    internal async Task ResetAsync()
    {
        PostgresProxy.Heal();
        RedisProxy.Heal();
        PostgresProxy.DropAll();
        RedisProxy.DropAll();
        await Redis.StopAsync();
        await Redis.StartAsync();
    }
}
