using EventKit.Testing;
using Microsoft.Extensions.DependencyInjection;
using StackExchange.Redis;

namespace EventKit.Scaling.Tests;

/// <summary>Leases, fencing and the node registry on a real three-primary Redis Cluster the test starts itself.</summary>
public sealed class RedisClusterScalingTests(RedisFixture redis, RedisClusterFixture cluster) : IClassFixture<RedisFixture>, IClassFixture<RedisClusterFixture>
{
    [Fact]
    public async Task Leases_fencing_and_the_registry_work_on_a_cluster()
    {
        using var a = ScalingNodes.Host(redis, "cluster-a", redisConfiguration: cluster.Configuration, scope: "cluster");
        using var b = ScalingNodes.Host(redis, "cluster-b", redisConfiguration: cluster.Configuration, scope: "cluster");
        var multiplexer = (await a.Services.GetRequiredService<EventKit.Redis.IRedisConnection>().ConnectAsync())!;
        await b.Services.GetRequiredService<EventKit.Redis.IRedisConnection>().ConnectAsync();
        Assert.Equal(3, multiplexer.GetServers().Count(s => s.ServerType == ServerType.Cluster && !s.IsReplica));

        // The lease script's two keys share a slot (hash tag); the node entries are spread over slots (one GET each).
        var prefix = redis.KeyPrefix + "cluster:";
        Assert.Equal(multiplexer.HashSlot(prefix + "lease:{job}"), multiplexer.HashSlot(prefix + "fence:{job}"));
        Assert.NotEqual(multiplexer.HashSlot(prefix + "node:cluster-a"), multiplexer.HashSlot(prefix + "node:cluster-b"));

        var leasesA = a.Services.GetRequiredService<ILeaseProvider>();
        var leasesB = b.Services.GetRequiredService<ILeaseProvider>();
        var first = await leasesA.TryAcquireAsync("job", TimeSpan.FromSeconds(30));
        Assert.NotNull(first);
        Assert.Null(await leasesB.TryAcquireAsync("job", TimeSpan.FromSeconds(30)));
        Assert.True(await leasesA.ReleaseAsync(first));
        var second = await leasesB.TryAcquireAsync("job", TimeSpan.FromSeconds(30));
        Assert.NotNull(second);
        Assert.True(second.Token > first.Token);

        var guard = b.Services.GetRequiredService<IFencingGuard>();
        Assert.True(await guard.TryAcceptAsync("target", second.Token));
        Assert.False(await a.Services.GetRequiredService<IFencingGuard>().TryAcceptAsync("target", first.Token));

        await a.StartAsync();
        await b.StartAsync();
        var registry = a.Services.GetRequiredService<INodeRegistry>();
        await Eventually.TrueAsync(() => registry.Nodes.Count == 2, "both nodes are listed through the cluster");
        await Eventually.TrueAsync(() => a.Services.GetRequiredService<ILeaderElection>().IsLeader ^ b.Services.GetRequiredService<ILeaderElection>().IsLeader, "exactly one leader");
        await b.StopAsync();
        await Eventually.TrueAsync(() => registry.Nodes.Count == 1, "the stopped node has left");
        await a.StopAsync();
    }
}
