using EventKit.Testing;
using Npgsql;

namespace EventKit.AspNetCore.Tests;

/// <summary>A database and a Redis prefix of this class's own, and one host over them.</summary>
public sealed class ApiFixture : IAsyncLifetime
{
    public PostgresFixture Postgres { get; } = new();

    public RedisFixture Redis { get; } = new();

    internal ApiHost Host { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        await Postgres.InitializeAsync();
        await Redis.InitializeAsync();
        Host = await ApiHost.StartAsync(Postgres.ConnectionString, Redis.Configuration, Redis.KeyPrefix);
    }

    public async Task DisposeAsync()
    {
        await Host.DisposeAsync();
        await Redis.DisposeAsync();
        await Postgres.DisposeAsync();
    }

    internal Task<ApiHost> StartAnotherNodeAsync() => ApiHost.StartAsync(Postgres.ConnectionString, Redis.Configuration, Redis.KeyPrefix, scannerKeys: Host.ScannerKeys);

    public async Task<long> CountAsync(string sql, params object[] parameters)
    {
        await using var command = Postgres.DataSource.CreateCommand(sql);
        foreach (var parameter in parameters)
        {
            command.Parameters.Add(new NpgsqlParameter { Value = parameter });
        }

        return (long)(await command.ExecuteScalarAsync())!;
    }

    public static string Token() => "T" + Guid.NewGuid().ToString("N");
}
