using System.Diagnostics;
using EventKit.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Xunit.Abstractions;

namespace EventKit.Scaling.Tests;

public sealed class NodeRegistryTests(RedisFixture redis, ITestOutputHelper output) : IClassFixture<RedisFixture>
{
    [Fact]
    public async Task Nodes_see_each_other_with_their_heartbeat_and_a_stopped_node_leaves_at_once()
    {
        using var a = ScalingNodes.Host(redis, "node-a", o => o.AdvertisedUrl = "http://127.0.0.1:5001");
        using var b = ScalingNodes.Host(redis, "node-b");
        var registry = a.Services.GetRequiredService<INodeRegistry>();
        var joined = new List<string>();
        var left = new List<string>();
        registry.NodeJoined += (_, e) => { lock (joined) { joined.Add(e.Node.NodeId); } };
        registry.NodeLeft += (_, e) => { lock (left) { left.Add(e.Node.NodeId); } };
        await a.StartAsync();
        await b.StartAsync();

        await Eventually.TrueAsync(() => registry.Nodes.Count == 2, "both nodes are listed");
        var self = registry.Nodes.Single(n => n.NodeId == "node-a");
        Assert.Equal("http://127.0.0.1:5001", self.Url);
        Assert.False(string.IsNullOrEmpty(self.Version));
        Assert.InRange(self.CpuUtilization, 0, 1);
        Assert.True(registry.IsRegistered);
        lock (joined)
        {
            Assert.Contains("node-b", joined);
        }

        await b.StopAsync();
        await Eventually.TrueAsync(() => registry.Nodes.Count == 1, "the stopped node has left");
        lock (left)
        {
            Assert.Equal(["node-b"], left);
        }

        await a.StopAsync();
    }

    [Fact]
    public async Task A_killed_node_process_leaves_within_three_heartbeats()
    {
        using var a = ScalingNodes.Host(redis, "survivor");
        var registry = a.Services.GetRequiredService<INodeRegistry>();
        await a.StartAsync();
        using var child = ScalingNodes.StartProcess(redis, "victim", TimeSpan.FromSeconds(5));
        try
        {
            await Eventually.TrueAsync(() => registry.Nodes.Any(n => n.NodeId == "victim"), "the child node is listed", TimeSpan.FromSeconds(60));

            // The entry lives two heartbeats: whatever the scheduling, it is gone from Redis two intervals after the last
            // heartbeat, and the survivor's next refresh (one interval) drops it.
            Assert.True(redis.Connection.GetDatabase().KeyTimeToLive(redis.KeyPrefix + "scaling:node:victim") <= ScalingNodes.Heartbeat * 2);
            var left = new TaskCompletionSource<TimeSpan>();
            var clock = Stopwatch.StartNew();
            registry.NodeLeft += (_, e) =>
            {
                if (e.Node.NodeId == "victim")
                {
                    left.TrySetResult(clock.Elapsed);
                }
            };
            child.Kill(); // SIGKILL: no graceful deregistration
            clock.Restart();
            var elapsed = await left.Task.WaitAsync(TimeSpan.FromSeconds(30));
            output.WriteLine($"killed node left after {elapsed.TotalMilliseconds:0} ms (heartbeat {ScalingNodes.Heartbeat.TotalMilliseconds:0} ms)");
            Assert.DoesNotContain(registry.Nodes, n => n.NodeId == "victim");
        }
        finally
        {
            if (!child.HasExited)
            {
                child.Kill();
            }

            await a.StopAsync();
        }
    }

    [Fact]
    public async Task Draining_is_heartbeated_and_a_draining_node_owns_no_gate()
    {
        using var a = ScalingNodes.Host(redis, "owner-a");
        using var b = ScalingNodes.Host(redis, "owner-b");
        await a.StartAsync();
        await b.StartAsync();
        var registry = a.Services.GetRequiredService<INodeRegistry>();
        var ownership = a.Services.GetRequiredService<IGateOwnership>();
        await Eventually.TrueAsync(() => registry.Nodes.Count == 2, "both nodes are listed");
        var owners = Enumerable.Range(1, 200).Select(g => ownership.OwnerOf(g)).Distinct().ToList();
        Assert.Equal(2, owners.Count);

        b.Services.GetRequiredService<INodeRegistry>().Draining = true;
        await Eventually.TrueAsync(() => registry.Nodes.Any(n => n.NodeId == "owner-b" && n.Draining), "the draining flag reached the other node");
        Assert.All(Enumerable.Range(1, 200), g => Assert.True(ownership.IsOwnedLocally(g)));
        await a.StopAsync();
        await b.StopAsync();
    }

    [Fact]
    public async Task A_node_without_redis_claims_nothing_and_says_so_in_its_health()
    {
        using var lonely = ScalingNodes.Host(redis, "lonely", redisConfiguration: $"127.0.0.1:{ScalingNodes.FreePort()},connectTimeout=200");
        await lonely.StartAsync();
        var registry = lonely.Services.GetRequiredService<INodeRegistry>();
        await registry.HeartbeatAsync();

        Assert.False(registry.IsRegistered);
        Assert.False(lonely.Services.GetRequiredService<ILeaderElection>().IsLeader);
        Assert.False(lonely.Services.GetRequiredService<IGateOwnership>().IsOwnedLocally(1));
        var health = await lonely.Services.GetRequiredService<HealthCheckService>().CheckHealthAsync(r => r.Tags.Contains("ready"));
        var entry = health.Entries["scaling"];
        Assert.Equal(HealthStatus.Degraded, entry.Status);
        Assert.Contains("no leadership", entry.Description, StringComparison.Ordinal);
        await lonely.StopAsync();
    }
}
