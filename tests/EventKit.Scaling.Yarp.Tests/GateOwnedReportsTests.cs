using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using EventKit.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;

namespace EventKit.Scaling.Yarp.Tests;

/// <summary>
/// BLE reports are processed by the owner of the gateway's gate: two gateways of one gate posting to two different nodes
/// both end up on the owner (the other node passes its report on), and when the owner stops, the survivor takes the
/// gate over.
/// </summary>
public sealed class GateOwnedReportsTests(RedisFixture redis) : IClassFixture<RedisFixture>, IAsyncLifetime
{
    private const string AdminKey = "owner-test-admin-key-0123456";
    private const string ProcessedBy = "X-EventKit-Processed-By";
    private readonly TestCluster _cluster = new(redis);
    private readonly Dictionary<WebApplication, Uri> _urls = [];

    public Task InitializeAsync() => _cluster.InitializeAsync();

    public Task DisposeAsync() => _cluster.DisposeAsync().AsTask();

    [Fact]
    public async Task Reports_of_one_gate_arriving_at_two_nodes_are_processed_by_its_owner_and_failover_moves_the_gate()
    {
        var a = await StartNodeAsync("owner-a");
        var b = await StartNodeAsync("owner-b");
        await Eventually.TrueAsync(() => Registry(a).Nodes.Count == 2 && Registry(b).Nodes.Count == 2, "both nodes see each other");

        using var admin = Client(a);
        admin.DefaultRequestHeaders.Add("X-Admin-Key", AdminKey);
        var gate = (await CreateAsync(admin, "/api/v1/gates", new { name = "Hall", kind = "entrance" })).GetProperty("id").GetInt64();
        var gw1 = await CreateAsync(admin, "/api/v1/gateways", new { name = "gw1", gateId = gate });
        var gw2 = await CreateAsync(admin, "/api/v1/gateways", new { name = "gw2", gateId = gate });

        var owner = a.Services.GetRequiredService<IGateOwnership>().OwnerOf(gate)!;
        Assert.Equal(owner, b.Services.GetRequiredService<IGateOwnership>().OwnerOf(gate));
        var (ownerApp, otherApp) = owner == "owner-a" ? (a, b) : (b, a);

        // A balancer sent gateway 1 to one node and gateway 2 to the other: the owner processes both.
        foreach (var (app, gateway) in new[] { (a, gw1), (b, gw2), (otherApp, gw1), (otherApp, gw2), (ownerApp, gw2) })
        {
            using var response = await ReportAsync(app, gateway);
            Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
            Assert.Equal(owner, response.Headers.GetValues(ProcessedBy).Single());
            Assert.Equal(1, (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("sightings").GetInt32());
        }

        // The owner stops: the survivor sees it leave, owns the gate, and processes the reports itself.
        await ownerApp.StopAsync();
        await Eventually.TrueAsync(() => Registry(otherApp).Nodes.Count == 1, "the survivor sees the owner leave");
        var survivor = Registry(otherApp).LocalNodeId;
        Assert.Equal(survivor, otherApp.Services.GetRequiredService<IGateOwnership>().OwnerOf(gate));
        foreach (var gateway in new[] { gw1, gw2 })
        {
            using var response = await ReportAsync(otherApp, gateway);
            Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
            Assert.Equal(survivor, response.Headers.GetValues(ProcessedBy).Single());
        }
    }

    private static INodeRegistry Registry(WebApplication node) => node.Services.GetRequiredService<INodeRegistry>();

    private HttpClient Client(WebApplication app) => new() { BaseAddress = _urls[app] };

    private async Task<HttpResponseMessage> ReportAsync(WebApplication app, JsonElement gateway)
    {
        using var client = Client(app);
        var at = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture);
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/api/v1/gateways/{gateway.GetProperty("id").GetInt64()}/reports")
        {
            Content = new StringContent($"{{\"t\":{at},\"mac\":\"C6:A5:00:00:00:01\",\"rssi\":-60,\"adv\":\"0201060303aafe\"}}\n", Encoding.UTF8, "application/x-ndjson"),
        };
        request.Headers.Add("X-Gateway-Key", gateway.GetProperty("apiKey").GetString());
        return await client.SendAsync(request);
    }

    private static async Task<JsonElement> CreateAsync(HttpClient admin, string path, object body)
    {
        using var response = await admin.PostAsJsonAsync(path, body);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    private async Task<WebApplication> StartNodeAsync(string nodeId)
    {
        var (app, url) = await _cluster.StartNodeAsync(nodeId, AdminKey, "Development", extra: b => b.AddBleGates());
        _urls[app] = url;
        return app;
    }
}
