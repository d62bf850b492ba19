using EventKit.Testing.Tests;
using Npgsql;

namespace EventKit.Testing.ContainerTests;

/// <summary>
/// The fixtures on containers: what the local-server tests check, on a PostgreSQL and a Redis that Testcontainers started
/// from the images of <c>./eventkit images</c>. Every fixture here must report <see cref="EventKitServerSource.Container"/>,
/// so a run without Docker (or without EVENTKIT_TEST_DOCKER=1) fails instead of passing on the local servers.
/// </summary>
[Trait("Category", "Docker")]
public sealed class ContainerFixtureTests
{
    [Fact]
    public async Task Postgres_container_gives_a_fresh_migrated_database()
    {
        await using var database = await StartedAsync(new EventKitPostgresFixture());

        await FixtureScenarios.AssertMigratedAsync(database);
        await using var version = database.DataSource.CreateCommand("SHOW server_version_num");
        Assert.StartsWith("15", (string)(await version.ExecuteScalarAsync())!, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Fixtures_share_one_container_per_image_and_dispose_drops_only_their_database()
    {
        await using var kept = await StartedAsync(new EventKitPostgresFixture());
        var dropped = await StartedAsync(new EventKitPostgresFixture());

        Assert.Equal(Endpoint(kept.ConnectionString), Endpoint(dropped.ConnectionString));
        Assert.True(await FixtureScenarios.DatabaseExistsAsync(kept.DataSource, dropped.DatabaseName));
        await dropped.DisposeAsync();

        Assert.False(await FixtureScenarios.DatabaseExistsAsync(kept.DataSource, dropped.DatabaseName));
        Assert.True(await FixtureScenarios.DatabaseExistsAsync(kept.DataSource, kept.DatabaseName));
    }

    [Fact]
    public async Task A_host_on_container_fixtures_admits_a_participant_once()
    {
        await using var database = await StartedAsync(new EventKitPostgresFixture());
        await using var redis = await StartedAsync(new EventKitRedisFixture());

        await FixtureScenarios.AssertCheckInWorksAsync(database, redis);
    }

    [Fact]
    public async Task Redis_container_fixture_deletes_only_its_own_keys()
    {
        await using var observer = await StartedAsync(new EventKitRedisFixture());
        var redis = await StartedAsync(new EventKitRedisFixture());

        Assert.Equal(observer.Configuration, redis.Configuration);
        await FixtureScenarios.AssertRedisCleansUpOnlyItsKeysAsync(redis, observer.Connection);
    }

    private static async Task<EventKitPostgresFixture> StartedAsync(EventKitPostgresFixture fixture)
    {
        await fixture.InitializeAsync();
        Assert.True(fixture.Source == EventKitServerSource.Container, "not a container: run ./eventkit images, then EVENTKIT_TEST_DOCKER=1 dotnet test tests/EventKit.Testing.ContainerTests");
        return fixture;
    }

    private static async Task<EventKitRedisFixture> StartedAsync(EventKitRedisFixture fixture)
    {
        await fixture.InitializeAsync();
        Assert.True(fixture.Source == EventKitServerSource.Container, "not a container: run ./eventkit images, then EVENTKIT_TEST_DOCKER=1 dotnet test tests/EventKit.Testing.ContainerTests");
        return fixture;
    }

    private static string Endpoint(string connectionString)
    {
        var builder = new NpgsqlConnectionStringBuilder(connectionString);
        return $"{builder.Host}:{builder.Port}";
    }
}
