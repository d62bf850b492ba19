using Npgsql;
using Xunit;

namespace EventKit.Testing;

/// <summary>
/// A fresh PostgreSQL database for one test class, created from <c>EVENTKIT_POSTGRES</c> and dropped
/// afterwards, so test classes run in parallel without seeing each other's rows.
/// </summary>
public class PostgresFixture : IAsyncLifetime
{
    private NpgsqlDataSource? _dataSource;

    /// <summary>The database's name (<c>ek_test_…</c>).</summary>
    public string DatabaseName { get; } = $"ek_test_{Guid.NewGuid():N}"[..24];

    /// <summary>A connection string to the fresh database.</summary>
    public string ConnectionString { get; private set; } = "";

    /// <summary>A data source for the fresh database.</summary>
    public NpgsqlDataSource DataSource => _dataSource ?? throw new InvalidOperationException("The fixture has not been initialised.");

    /// <summary>Creates the database.</summary>
    public virtual async Task InitializeAsync()
    {
        var admin = new NpgsqlConnectionStringBuilder(TestServers.Postgres) { Database = "postgres", Pooling = false, Timeout = 5 };
        try
        {
            await using var connection = new NpgsqlConnection(admin.ConnectionString);
            await connection.OpenAsync();
            await using var create = new NpgsqlCommand($"CREATE DATABASE \"{DatabaseName}\"", connection);
            await create.ExecuteNonQueryAsync();
        }
        catch (Exception e) when (e is NpgsqlException or TimeoutException or System.Net.Sockets.SocketException)
        {
            throw TestServers.Unreachable("PostgreSQL", $"{admin.Host}:{admin.Port}", e);
        }

        ConnectionString = new NpgsqlConnectionStringBuilder(TestServers.Postgres) { Database = DatabaseName }.ConnectionString;
        _dataSource = NpgsqlDataSource.Create(ConnectionString);
    }

    /// <summary>Drops the database (closing whatever connections are still open to it).</summary>
    public virtual async Task DisposeAsync()
    {
        if (_dataSource is not null)
        {
            await _dataSource.DisposeAsync();
        }

        NpgsqlConnection.ClearAllPools();
        var admin = new NpgsqlConnectionStringBuilder(TestServers.Postgres) { Database = "postgres", Pooling = false };
        await using var connection = new NpgsqlConnection(admin.ConnectionString);
        await connection.OpenAsync();
        await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{DatabaseName}\" WITH (FORCE)", connection);
        await drop.ExecuteNonQueryAsync();
    }
}
