using EventKit.Testing;
using Npgsql;

namespace EventKit.TestSupport.Tests;

public sealed class PostgresFixtureTests(PostgresFixture fixture) : IClassFixture<PostgresFixture>
{
    [Fact]
    public async Task Round_trips_rows_through_a_database_of_its_own()
    {
        await using (var create = fixture.DataSource.CreateCommand("CREATE TABLE probe (id int PRIMARY KEY, name text NOT NULL)"))
        {
            await create.ExecuteNonQueryAsync();
        }

        await using (var insert = fixture.DataSource.CreateCommand("INSERT INTO probe VALUES ($1, $2), ($3, $4)"))
        {
            insert.Parameters.Add(new() { Value = 1 });
            insert.Parameters.Add(new() { Value = "Kim" });
            insert.Parameters.Add(new() { Value = 2 });
            insert.Parameters.Add(new() { Value = "Ng" });
            Assert.Equal(2, await insert.ExecuteNonQueryAsync());
        }

        await using var select = fixture.DataSource.CreateCommand("SELECT string_agg(name, ',' ORDER BY id), current_database() FROM probe");
        await using var reader = await select.ExecuteReaderAsync();
        Assert.True(await reader.ReadAsync());
        Assert.Equal("Kim,Ng", reader.GetString(0));
        Assert.Equal(fixture.DatabaseName, reader.GetString(1));
    }

    [Fact]
    public async Task Server_has_pg_stat_statements_preloaded()
    {
        await using var command = fixture.DataSource.CreateCommand("SHOW shared_preload_libraries");
        var libraries = (string?)await command.ExecuteScalarAsync();
        Assert.Contains("pg_stat_statements", libraries, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Dropping_removes_the_database()
    {
        var other = new PostgresFixture();
        await other.InitializeAsync();
        var name = other.DatabaseName;
        await other.DisposeAsync();

        await using var admin = NpgsqlDataSource.Create(new NpgsqlConnectionStringBuilder(TestServers.Postgres) { Database = "postgres" }.ConnectionString);
        await using var command = admin.CreateCommand("SELECT count(*) FROM pg_database WHERE datname = $1");
        command.Parameters.Add(new() { Value = name });
        Assert.Equal(0L, (long)(await command.ExecuteScalarAsync())!);
    }

    [Fact]
    public async Task Unreachable_server_fails_with_the_command_that_starts_it()
    {
        var previous = Environment.GetEnvironmentVariable("EVENTKIT_POSTGRES");
        try
        {
            // Port 9 (discard) on loopback has no PostgreSQL.
            Environment.SetEnvironmentVariable("EVENTKIT_POSTGRES", "Host=127.0.0.1;Port=9;Username=x;Password=x;Database=x");
            var fixtureWithoutServer = new PostgresFixture();
            var error = await Assert.ThrowsAsync<InvalidOperationException>(fixtureWithoutServer.InitializeAsync);
            Assert.Contains("./eventkit services start", error.Message, StringComparison.Ordinal);
            Assert.DoesNotContain("Password", error.Message, StringComparison.OrdinalIgnoreCase);
        }
        finally
        {
            Environment.SetEnvironmentVariable("EVENTKIT_POSTGRES", previous);
        }
    }
}

public sealed class DedicatedPostgresServerTests
{
    [Fact]
    public async Task Can_be_stopped_and_started_again_with_its_data_and_its_fsync_setting()
    {
        // fsync=on as the fault suite's durability scenarios ask for; kept across the crash and restart.
        await using var server = await DedicatedPostgresServer.StartNewAsync(fsync: true);
        Assert.Equal("on", await server.ShowFsyncAsync());
        await using (var dataSource = NpgsqlDataSource.Create(server.ConnectionString))
        {
            await using var create = dataSource.CreateCommand("CREATE TABLE kept (v int); INSERT INTO kept VALUES (42)");
            await create.ExecuteNonQueryAsync();
        }

        await server.StopAsync();
        await using (var down = NpgsqlDataSource.Create(server.ConnectionString + ";Pooling=false"))
        {
            await Assert.ThrowsAnyAsync<NpgsqlException>(async () => await down.OpenConnectionAsync());
        }

        await server.StartAsync();
        await using var again = NpgsqlDataSource.Create(server.ConnectionString);
        await using var select = again.CreateCommand("SELECT v FROM kept");
        Assert.Equal(42, (int)(await select.ExecuteScalarAsync())!);
        Assert.True(server.Fsync);
        Assert.Equal("on", await server.ShowFsyncAsync());
    }
}
