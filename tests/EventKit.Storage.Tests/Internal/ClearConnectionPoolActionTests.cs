using EventKit.Monitoring;
using EventKit.Storage.Internal;
using EventKit.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace EventKit.Storage.Tests.Internal;

public sealed class ClearConnectionPoolActionTests : IAsyncLifetime
{
    private const string ApplicationName = "ek_clear_pool_test";

    private readonly PostgresFixture _database = new();

    public Task InitializeAsync() => _database.InitializeAsync();

    public Task DisposeAsync() => _database.DisposeAsync();

    [Fact]
    public async Task Clear_db_pool_closes_the_pools_idle_connections_on_the_server()
    {
        await using var provider = StorageFixture.BuildProvider(_database.ConnectionString + $";Application Name={ApplicationName}");
        var sources = provider.GetRequiredService<StorageDataSources>();
        var open = new List<Npgsql.NpgsqlConnection>();
        for (var i = 0; i < 3; i++)
        {
            open.Add(await sources.Write.OpenConnectionAsync());
        }

        foreach (var connection in open)
        {
            await connection.DisposeAsync();   // back to the pool, idle but still connected
        }

        Assert.Equal(3, await ServerConnectionsAsync());

        var action = provider.GetServices<IRecoveryAction>().Single(a => a.Name == RecoveryActionNames.ClearDatabasePool);
        var result = await action.ExecuteAsync(new RecoveryContext("postgres_unreachable", 0, 0.5, AlertSeverity.Critical, DateTimeOffset.UnixEpoch), CancellationToken.None);

        Assert.True(result.Succeeded);
        await Eventually.TrueAsync(async () => await ServerConnectionsAsync() == 0, "the server no longer sees the pool's connections");
    }

    private async Task<long> ServerConnectionsAsync()
    {
        await using var command = _database.DataSource.CreateCommand("SELECT count(*) FROM pg_stat_activity WHERE application_name = $1");
        command.Parameters.Add(new Npgsql.NpgsqlParameter { Value = ApplicationName });
        return (long)(await command.ExecuteScalarAsync())!;
    }
}
