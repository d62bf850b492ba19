using EventKit.Testing;
using StackExchange.Redis;

namespace EventKit.TestSupport.Tests;

public sealed class RedisFixtureTests(RedisFixture fixture) : IClassFixture<RedisFixture>
{
    [Fact]
    public async Task Round_trips_values_under_its_own_prefix()
    {
        var database = fixture.Connection.GetDatabase();
        var key = fixture.KeyPrefix + "greeting";
        Assert.True(await database.StringSetAsync(key, "hello", TimeSpan.FromMinutes(1)));
        Assert.Equal("hello", (string?)await database.StringGetAsync(key));
        Assert.StartsWith("ek-test:", key, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Dispose_deletes_the_fixtures_keys_and_nothing_else()
    {
        var other = new RedisFixture();
        await other.InitializeAsync();
        var database = fixture.Connection.GetDatabase();
        for (var i = 0; i < 1500; i++)
        {
            await database.StringSetAsync(other.KeyPrefix + i, i, TimeSpan.FromMinutes(1), flags: CommandFlags.FireAndForget);
        }

        var mine = fixture.KeyPrefix + "survivor";
        await database.StringSetAsync(mine, "still here", TimeSpan.FromMinutes(1));
        await database.PingAsync();

        await other.DisposeAsync();

        Assert.False(await database.KeyExistsAsync(other.KeyPrefix + "0"));
        Assert.False(await database.KeyExistsAsync(other.KeyPrefix + "1499"));
        Assert.Equal("still here", (string?)await database.StringGetAsync(mine));
    }

    [Fact]
    public async Task Dedicated_server_can_be_stopped_and_restarted_on_the_same_port()
    {
        await using var server = await DedicatedRedisServer.StartNewAsync();
        using (var client = await ConnectionMultiplexer.ConnectAsync(server.Configuration))
        {
            Assert.True(await client.GetDatabase().StringSetAsync("k", "v"));
        }

        await server.StopAsync();
        Assert.False(server.IsRunning);
        await Assert.ThrowsAsync<RedisConnectionException>(() => ConnectionMultiplexer.ConnectAsync($"{server.Configuration},connectTimeout=300,abortConnect=true"));

        await server.StartAsync();
        using var again = await ConnectionMultiplexer.ConnectAsync(server.Configuration);
        // Answers again, and is a fresh process: nothing was persisted across the kill.
        Assert.False(await again.GetDatabase().KeyExistsAsync("k"));
        Assert.True(await again.GetDatabase().StringSetAsync("k", "v2"));
    }
}
