using EventKit.Testing;
using StackExchange.Redis;

namespace EventKit.Caching.Tests.Internal;

/// <summary>Prefix removal with SCAN + UNLINK on the real Redis.</summary>
public sealed class RedisL2StoreTests(RedisFixture redis) : IClassFixture<RedisFixture>
{
    [Fact]
    public async Task Prefix_removal_deletes_100000_keys_in_batches_while_other_clients_are_served()
    {
        using var cache = TestCaches.Create(o => o.KeyPrefix = redis.KeyPrefix, redis: redis.Configuration);
        var database = redis.Connection.GetDatabase();
        const int count = 100_000;
        var writes = new List<Task>(count);
        for (var i = 0; i < count; i++)
        {
            writes.Add(database.StringSetAsync($"{redis.KeyPrefix}stats:{i}", "x", flags: CommandFlags.FireAndForget));
        }

        await Task.WhenAll(writes);
        await database.StringSetAsync(redis.KeyPrefix + "keep:1", "kept");
        await database.StringSetAsync(redis.KeyPrefix + "stats", "no colon: not under 'stats:'");
        await cache.SetAsync("stats:in-l1", 1);
        Assert.True(await database.KeyExistsAsync(redis.KeyPrefix + "stats:in-l1"), "the cache wrote the entry through to Redis");

        using var otherClient = await ConnectionMultiplexer.ConnectAsync(redis.Configuration);
        using var stop = new CancellationTokenSource();
        var answered = 0;
        var reader = Task.Run(async () =>
        {
            var otherDb = otherClient.GetDatabase();
            while (!stop.IsCancellationRequested)
            {
                Assert.Equal("kept", (string?)await otherDb.StringGetAsync(redis.KeyPrefix + "keep:1"));
                answered++;
            }
        });

        var removed = await cache.RemoveByPrefixAsync("stats:");
        await stop.CancelAsync();
        await reader;

        Assert.Equal(count + 1, removed);
        Assert.True(answered > 0, "the other client's GETs were answered during the removal");
        Assert.False(await database.KeyExistsAsync($"{redis.KeyPrefix}stats:{count - 1}"));
        Assert.True(await database.KeyExistsAsync(redis.KeyPrefix + "stats"));
        Assert.Equal(-1, await cache.GetOrCreateAsync("stats:in-l1", _ => ValueTask.FromResult(-1)));
        Assert.Equal("kept", (string?)await database.StringGetAsync(redis.KeyPrefix + "keep:1"));
    }

    [Fact]
    public async Task Prefix_removal_treats_glob_characters_literally()
    {
        using var cache = TestCaches.Create(o => o.KeyPrefix = redis.KeyPrefix, redis: redis.Configuration);
        await cache.SetAsync("a*b:1", 1);
        await cache.SetAsync("axb:1", 2);

        var removed = await cache.RemoveByPrefixAsync("a*b:");

        Assert.Equal(1, removed);
        Assert.True(await redis.Connection.GetDatabase().KeyExistsAsync(redis.KeyPrefix + "axb:1"));
    }
}
