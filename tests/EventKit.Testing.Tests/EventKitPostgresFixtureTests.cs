namespace EventKit.Testing.Tests;

public sealed class EventKitPostgresFixtureTests
{
    [Fact]
    public async Task Gives_a_fresh_migrated_database_on_the_server_in_EVENTKIT_POSTGRES()
    {
        await using var database = new EventKitPostgresFixture();
        await database.InitializeAsync();

        Assert.Equal(EventKitServerSource.Environment, database.Source);
        Assert.StartsWith("ek_test_", database.DatabaseName, StringComparison.Ordinal);
        await FixtureScenarios.AssertMigratedAsync(database);
    }

    [Fact]
    public async Task Dispose_drops_its_database_and_leaves_the_others()
    {
        await using var kept = new EventKitPostgresFixture();
        var dropped = new EventKitPostgresFixture();
        await kept.InitializeAsync();
        await dropped.InitializeAsync();
        await using (var connection = await dropped.DataSource.OpenConnectionAsync())
        {
            // An open connection does not keep the database alive (DROP … WITH (FORCE)).
            Assert.NotEqual(kept.DatabaseName, dropped.DatabaseName);
            Assert.True(await FixtureScenarios.DatabaseExistsAsync(kept.DataSource, dropped.DatabaseName));
        }

        var leftOpen = await new Npgsql.NpgsqlConnection(dropped.ConnectionString + ";Pooling=false").OpenAsyncAndReturn();
        await dropped.DisposeAsync();

        Assert.False(await FixtureScenarios.DatabaseExistsAsync(kept.DataSource, dropped.DatabaseName));
        Assert.True(await FixtureScenarios.DatabaseExistsAsync(kept.DataSource, kept.DatabaseName));
        Assert.Throws<InvalidOperationException>(() => dropped.DataSource);
        await leftOpen.DisposeAsync();
    }

    [Fact]
    public async Task Without_migrations_the_database_is_empty()
    {
        await using var database = new EventKitPostgresFixture(new EventKitTestingOptions { ApplyMigrations = false });
        await database.InitializeAsync();

        await using var command = database.DataSource.CreateCommand("SELECT to_regclass('public.attendance_records') IS NULL AND to_regclass('public.schema_migrations') IS NULL");
        Assert.True((bool)(await command.ExecuteScalarAsync())!);
        Assert.Empty(database.AppliedMigrations);
    }

    [Fact]
    public async Task An_unreachable_server_fails_naming_the_variable_and_the_command()
    {
        await using var database = new EventKitPostgresFixture(new EventKitTestingOptions
        {
            UseContainers = false,
            PostgresConnectionString = "Host=127.0.0.1;Port=1;Username=nobody;Password=nothing",
            ConnectTimeout = TimeSpan.FromSeconds(1),
        });

        var error = await Assert.ThrowsAsync<InvalidOperationException>(database.InitializeAsync);

        Assert.Contains("EVENTKIT_POSTGRES", error.Message, StringComparison.Ordinal);
        Assert.Contains("./eventkit services start", error.Message, StringComparison.Ordinal);
        Assert.Contains("EVENTKIT_TEST_DOCKER=1", error.Message, StringComparison.Ordinal);
        Assert.NotNull(error.InnerException);
        Assert.Throws<InvalidOperationException>(() => database.DataSource);
    }

    [Fact]
    public async Task Out_of_range_options_are_refused_naming_the_setting_and_range()
    {
        await using var database = new EventKitPostgresFixture(new EventKitTestingOptions { ConnectTimeout = TimeSpan.Zero });

        var error = await Assert.ThrowsAsync<ArgumentException>(database.InitializeAsync);

        Assert.Contains("ConnectTimeout must be between 00:00:01 and 00:05:00", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Initialising_twice_is_refused()
    {
        await using var database = new EventKitPostgresFixture();
        await database.InitializeAsync();

        await Assert.ThrowsAsync<InvalidOperationException>(database.InitializeAsync);
    }
}
