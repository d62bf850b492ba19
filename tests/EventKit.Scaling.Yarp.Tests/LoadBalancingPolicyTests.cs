using Microsoft.AspNetCore.Http;
using Yarp.ReverseProxy.Model;

namespace EventKit.Scaling.Yarp.Tests;

public sealed class LoadBalancingPolicyTests
{
    [Theory]
    [InlineData("POST", "/api/v1/checkins", RequestTypes.CheckIn)]
    [InlineData("POST", "/api/v1/gates/12/checkins", RequestTypes.CheckIn)]
    [InlineData("POST", "/api/v1/gateways/7/reports", RequestTypes.GatewayReport)]
    [InlineData("GET", "/api/v1/participants/3", RequestTypes.Read)]
    [InlineData("POST", "/api/v1/participants", RequestTypes.Management)]
    [InlineData("POST", "/api/v1/gateways/x/reports", RequestTypes.Management)]
    [InlineData("POST", "/api/v1/gates/-1/checkins", RequestTypes.Management)]
    public void Requests_are_classified_by_method_and_path(string method, string path, string expected) =>
        Assert.Equal(expected, RequestTypes.Classify(method, path));

    [Fact]
    public void A_gateways_reports_always_go_to_the_same_node_and_a_new_node_takes_only_some_gateways()
    {
        var three = Destinations("a", "b", "c");
        var four = Destinations("a", "b", "c", "d");
        var policy = new EventKitLoadBalancingPolicy(new FixedRegistry(Nodes("a", "b", "c", "d")));
        var moved = 0;
        for (var gateway = 1; gateway <= 1000; gateway++)
        {
            var first = Pick(policy, "POST", $"/api/v1/gateways/{gateway}/reports", three);
            Assert.Equal(first, Pick(policy, "POST", $"/api/v1/gateways/{gateway}/reports", three));
            var after = Pick(policy, "POST", $"/api/v1/gateways/{gateway}/reports", four);
            if (after != first)
            {
                Assert.Equal("d", after);
                moved++;
            }
        }

        // About a quarter move to the new node, none between the old ones.
        Assert.InRange(moved, 150, 350);
    }

    [Fact]
    public void Check_ins_on_the_gate_path_go_to_the_gates_owner_by_the_nodes_rendezvous_hash()
    {
        var ids = new[] { "a", "b", "c" };
        var policy = new EventKitLoadBalancingPolicy(new FixedRegistry(Nodes(ids)));
        var owners = new HashSet<string>();
        for (var gate = 1; gate <= 300; gate++)
        {
            var owner = RendezvousHash.Owner(gate, ids);
            Assert.Equal(owner, Pick(policy, "POST", $"/api/v1/gates/{gate}/checkins", Destinations(ids)));
            owners.Add(owner!);
        }

        // Every node owns some gates (the hash spreads them); the body route stays on power of two choices.
        Assert.Equal(3, owners.Count);
        var picked = Enumerable.Range(0, 200).Select(_ => Pick(policy, "POST", "/api/v1/checkins", Destinations(ids))).Distinct().Count();
        Assert.True(picked > 1);
    }

    [Fact]
    public void Check_ins_avoid_a_draining_node_and_prefer_the_cheaper_of_two()
    {
        var nodes = Nodes("a", "b");
        nodes[0] = nodes[0] with { Draining = true };
        var policy = new EventKitLoadBalancingPolicy(new FixedRegistry(nodes));
        var destinations = Destinations("a", "b");
        for (var i = 0; i < 200; i++)
        {
            Assert.Equal("b", Pick(policy, "POST", "/api/v1/checkins", destinations));
        }

        // Two nodes, one reporting a p95 twenty times higher: power of two choices always compares both, so it picks the fast one.
        var loaded = Nodes("fast", "slow");
        loaded[1] = loaded[1] with { Load = new Dictionary<string, RequestTypeLoad> { [RequestTypes.CheckIn] = new(4, 200) } };
        loaded[0] = loaded[0] with { Load = new Dictionary<string, RequestTypeLoad> { [RequestTypes.CheckIn] = new(4, 10) } };
        var balanced = new EventKitLoadBalancingPolicy(new FixedRegistry(loaded));
        var pair = Destinations("fast", "slow");
        for (var i = 0; i < 200; i++)
        {
            Assert.Equal("fast", Pick(balanced, "POST", "/api/v1/checkins", pair));
        }
    }

    private static string? Pick(EventKitLoadBalancingPolicy policy, string method, string path, IReadOnlyList<DestinationState> destinations)
    {
        var context = new DefaultHttpContext();
        context.Request.Method = method;
        context.Request.Path = path;
        return policy.PickDestination(context, new ClusterState("eventkit"), destinations)?.DestinationId;
    }

    private static DestinationState[] Destinations(params string[] ids) => [.. ids.Select(id => new DestinationState(id))];

    private static NodeInfo[] Nodes(params string[] ids) =>
        [.. ids.Select(id => new NodeInfo(id, $"http://{id}", "1", DateTimeOffset.UnixEpoch, DateTimeOffset.UnixEpoch, 0.1, new Dictionary<string, RequestTypeLoad>(), 0, false))];

    private sealed class FixedRegistry(IReadOnlyList<NodeInfo> nodes) : INodeRegistry
    {
        public string LocalNodeId => "gateway";

        public IReadOnlyList<NodeInfo> Nodes => nodes;

        public bool IsRegistered => true;

        public bool Draining { get; set; }

        public event EventHandler<NodeEventArgs>? NodeJoined { add { } remove { } }

        public event EventHandler<NodeEventArgs>? NodeLeft { add { } remove { } }

        public Task HeartbeatAsync(CancellationToken cancellationToken = default) => Task.CompletedTask;
    }
}
