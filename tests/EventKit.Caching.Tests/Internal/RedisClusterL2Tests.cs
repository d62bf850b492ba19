using EventKit.Testing;
using StackExchange.Redis;

namespace EventKit.Caching.Tests.Internal;

/// <summary>The cache's Redis tier on a real three-primary Redis Cluster the test starts itself.</summary>
public sealed class RedisClusterL2Tests(RedisClusterFixture cluster) : IClassFixture<RedisClusterFixture>
{
    [Fact]
    public async Task Prefix_removal_scans_every_primary_and_entries_spread_over_slots_are_read_and_removed()
    {
        using var cache = TestCaches.Create(o => o.KeyPrefix = "ek:", redis: cluster.Configuration);
        for (var i = 0; i < 300; i++)
        {
            await cache.SetAsync($"stats:{i}", i);
        }

        await cache.SetAsync("keep:1", 7);
        using var client = await ConnectionMultiplexer.ConnectAsync(cluster.Configuration);
        var database = client.GetDatabase();

        // The entries really live on all three primaries.
        var perPrimary = new List<long>();
        foreach (var server in client.GetServers().Where(s => !s.IsReplica))
        {
            perPrimary.Add(await server.DatabaseSizeAsync());
        }

        Assert.Equal(3, perPrimary.Count);
        Assert.All(perPrimary, n => Assert.True(n > 0));

        var removed = await cache.RemoveByPrefixAsync("stats:");

        Assert.Equal(300, removed);
        for (var i = 0; i < 300; i += 37)
        {
            Assert.False(await database.KeyExistsAsync($"ek:stats:{i}"));
        }

        Assert.True(await database.KeyExistsAsync("ek:keep:1"));
        Assert.Equal(7, await cache.GetOrCreateAsync("keep:1", _ => ValueTask.FromResult(-1)));
    }
}
