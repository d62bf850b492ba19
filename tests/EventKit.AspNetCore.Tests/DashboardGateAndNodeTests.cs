using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using EventKit.Monitoring;
using EventKit.Testing;

namespace EventKit.AspNetCore.Tests;

/// <summary>
/// <c>/eventkit/metrics</c>' per-gate tiles and node list on a host with monitoring and EventKit.Scaling over the real
/// PostgreSQL and Redis: the gate's admissions, its last admission, the alert labelled with it, and this node in the list.
/// </summary>
public sealed class DashboardGateAndNodeTests : IAsyncLifetime
{
    private const string NodeId = "dashboard-node";
    private MonitoredHost _host = null!;

    public async Task InitializeAsync() => _host = await MonitoredHost.StartAsync(
        monitoring: o =>
        {
            o.HealthProbeInterval = TimeSpan.FromSeconds(1);

            // Fires while Redis is healthy; labelled with the first gate of the fresh database (id 1).
            o.Rules.Add(new AlertRuleOptions
            {
                Name = "gate_watch", Summary = "A rule about gate 1.",
                Expression = AlertExpression.Gauge, Instrument = "eventkit.health.status", Tags = new() { ["check"] = "redis" },
                Window = TimeSpan.FromSeconds(2), Comparison = AlertComparison.Above, Threshold = 0,
                Labels = new() { ["gate"] = "1" },
            });
        },
        extend: static (eventKit, redis) => eventKit.AddScaling(o =>
        {
            o.NodeId = NodeId;
            o.KeyPrefix = redis!.KeyPrefix + "scaling:";
            o.HeartbeatInterval = TimeSpan.FromMilliseconds(200);
        }));

    [Fact]
    public async Task Metrics_carry_a_tile_per_gate_and_the_cluster_node_list()
    {
        var gate = await CreateGateAsync("North");
        var quiet = await CreateGateAsync("South");
        Assert.Equal(1, gate); // the rule's label names it
        const int CheckIns = 5;
        var tokens = Enumerable.Range(0, CheckIns).Select(_ => $"T{Guid.NewGuid():N}").ToArray();
        await _host.AdmitAsync(gate, tokens, _host.Admin);

        JsonElement metrics = default;
        await Eventually.TrueAsync(
            async () =>
            {
                metrics = await _host.Admin.GetFromJsonAsync<JsonElement>("/eventkit/metrics");
                var north = metrics.GetProperty("gates").EnumerateArray().FirstOrDefault(g => g.GetProperty("id").GetInt64() == gate);
                return north.ValueKind == JsonValueKind.Object
                    && north.GetProperty("admitted").GetDouble() == CheckIns
                    && north.GetProperty("alerts").GetArrayLength() > 0
                    && metrics.GetProperty("nodes").GetProperty("nodes").GetArrayLength() > 0;
            },
            "the gate's admissions, its alert and this node are listed");

        var tile = Gate(metrics, gate);
        Assert.Equal("North", tile.GetProperty("name").GetString());
        Assert.True(tile.GetProperty("open").GetBoolean());
        Assert.True(tile.GetProperty("ratePerSecond").GetDouble() > 0);
        Assert.InRange(tile.GetProperty("lastAdmissionAt").GetDateTimeOffset(), DateTimeOffset.UtcNow.AddMinutes(-2), DateTimeOffset.UtcNow.AddSeconds(1));
        var alert = Assert.Single(tile.GetProperty("alerts").EnumerateArray());
        Assert.Equal("gate_watch", alert.GetProperty("name").GetString());

        // The other gate: no admission, no alert, no last admission.
        var other = Gate(metrics, quiet);
        Assert.Equal(0, other.GetProperty("admitted").GetDouble());
        Assert.Equal(0, other.GetProperty("alerts").GetArrayLength());
        Assert.False(other.TryGetProperty("lastAdmissionAt", out _));

        var nodes = metrics.GetProperty("nodes");
        Assert.True(nodes.GetProperty("scaling").GetBoolean());
        Assert.Equal(NodeId, nodes.GetProperty("localNodeId").GetString());
        var node = Assert.Single(nodes.GetProperty("nodes").EnumerateArray());
        Assert.Equal(NodeId, node.GetProperty("nodeId").GetString());
        Assert.True(node.GetProperty("local").GetBoolean());
    }

    private static JsonElement Gate(JsonElement metrics, long id) =>
        metrics.GetProperty("gates").EnumerateArray().Single(g => g.GetProperty("id").GetInt64() == id);

    private async Task<long> CreateGateAsync(string name)
    {
        using var response = await _host.Admin.PostAsJsonAsync("/api/v1/gates", new { name, kind = "entrance", open = true });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return body.RootElement.GetProperty("id").GetInt64();
    }

    public async Task DisposeAsync() => await _host.DisposeAsync();
}
