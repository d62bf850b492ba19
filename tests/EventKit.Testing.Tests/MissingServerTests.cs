namespace EventKit.Testing.Tests;

[CollectionDefinition(nameof(EnvironmentChanging), DisableParallelization = true)]
public sealed class EnvironmentChanging;

/// <summary>Unsets EVENTKIT_POSTGRES / EVENTKIT_REDIS for a moment: alone, after the parallel tests.</summary>
[Collection(nameof(EnvironmentChanging))]
public sealed class MissingServerTests
{
    [Fact]
    public async Task Without_EVENTKIT_POSTGRES_and_without_containers_the_error_says_what_to_do()
    {
        var error = await WithoutVariableAsync("EVENTKIT_POSTGRES", async () =>
        {
            await using var database = new EventKitPostgresFixture(new EventKitTestingOptions { UseContainers = false });
            return await Assert.ThrowsAsync<InvalidOperationException>(database.InitializeAsync);
        });

        Assert.Contains("EVENTKIT_POSTGRES is not set", error.Message, StringComparison.Ordinal);
        Assert.Contains("containers were not asked for", error.Message, StringComparison.Ordinal);
        Assert.Contains("./eventkit services start", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Without_EVENTKIT_REDIS_and_without_containers_the_error_says_what_to_do()
    {
        var error = await WithoutVariableAsync("EVENTKIT_REDIS", async () =>
        {
            await using var redis = new EventKitRedisFixture(new EventKitTestingOptions { UseContainers = false });
            return await Assert.ThrowsAsync<InvalidOperationException>(redis.InitializeAsync);
        });

        Assert.Contains("EVENTKIT_REDIS is not set", error.Message, StringComparison.Ordinal);
        Assert.Contains("./eventkit services start", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Containers_asked_for_without_a_Docker_engine_fall_back_to_the_environment()
    {
        var source = await WithVariableAsync("DOCKER_HOST", "unix:///nonexistent/docker.sock", async () =>
        {
            await using var database = new EventKitPostgresFixture(new EventKitTestingOptions { UseContainers = true });
            await database.InitializeAsync();
            await FixtureScenarios.AssertMigratedAsync(database);
            return database.Source;
        });

        Assert.Equal(EventKitServerSource.Environment, source);
    }

    [Fact]
    public async Task Containers_asked_for_without_a_Docker_engine_or_a_server_name_both_reasons()
    {
        var error = await WithVariableAsync("DOCKER_HOST", "unix:///nonexistent/docker.sock", () => WithoutVariableAsync("EVENTKIT_REDIS", async () =>
        {
            await using var redis = new EventKitRedisFixture(new EventKitTestingOptions { UseContainers = true });
            return await Assert.ThrowsAsync<InvalidOperationException>(redis.InitializeAsync);
        }));

        Assert.Contains("EVENTKIT_REDIS is not set", error.Message, StringComparison.Ordinal);
        Assert.Contains("no Docker engine is reachable: no Docker socket at /nonexistent/docker.sock", error.Message, StringComparison.Ordinal);
    }

    private static Task<T> WithoutVariableAsync<T>(string variable, Func<Task<T>> run) => WithVariableAsync(variable, null, run);

    private static async Task<T> WithVariableAsync<T>(string variable, string? value, Func<Task<T>> run)
    {
        var saved = Environment.GetEnvironmentVariable(variable);
        Environment.SetEnvironmentVariable(variable, value);
        try
        {
            return await run();
        }
        finally
        {
            Environment.SetEnvironmentVariable(variable, saved);
        }
    }
}
