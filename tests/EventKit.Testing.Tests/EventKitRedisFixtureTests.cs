namespace EventKit.Testing.Tests;

public sealed class EventKitRedisFixtureTests
{
    [Fact]
    public async Task Connects_to_EVENTKIT_REDIS_and_deletes_only_its_own_keys()
    {
        await using var observer = new EventKitRedisFixture();
        var redis = new EventKitRedisFixture();
        await observer.InitializeAsync();
        await redis.InitializeAsync();

        Assert.Equal(EventKitServerSource.Environment, redis.Source);
        Assert.Equal(Environment.GetEnvironmentVariable("EVENTKIT_REDIS"), redis.Configuration);
        Assert.NotEqual(observer.KeyPrefix, redis.KeyPrefix);
        await FixtureScenarios.AssertRedisCleansUpOnlyItsKeysAsync(redis, observer.Connection);
        Assert.Throws<InvalidOperationException>(() => redis.Connection);
    }

    [Fact]
    public async Task An_unreachable_server_fails_naming_the_variable_and_the_command()
    {
        await using var redis = new EventKitRedisFixture(new EventKitTestingOptions
        {
            UseContainers = false,
            RedisConfiguration = "127.0.0.1:1",
            ConnectTimeout = TimeSpan.FromSeconds(1),
        });

        var error = await Assert.ThrowsAsync<InvalidOperationException>(redis.InitializeAsync);

        Assert.Contains("EVENTKIT_REDIS", error.Message, StringComparison.Ordinal);
        Assert.Contains("./eventkit services start", error.Message, StringComparison.Ordinal);
        Assert.IsType<StackExchange.Redis.RedisConnectionException>(error.InnerException);
    }
}
