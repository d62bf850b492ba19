using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using EventKit.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace EventKit.Scaling.Yarp.Tests;

/// <summary>
/// Two real EventKit nodes (Kestrel, one PostgreSQL database, one Redis) behind the YARP gateway that discovers them from
/// the node registry: check-ins through the gateway reach both, a draining node gets none, a stopped node is routed
/// around, and every 201 has its row.
/// </summary>
public sealed class TwoNodeGatewayTests(RedisFixture redis) : IClassFixture<RedisFixture>, IAsyncLifetime
{
    private const string AdminKey = "gateway-test-admin-key-0123";
    private readonly TestCluster _cluster = new(redis);
    private readonly ConcurrentDictionary<string, int> _served = new();

    public Task InitializeAsync() => _cluster.InitializeAsync();

    public Task DisposeAsync() => _cluster.DisposeAsync().AsTask();

    [Fact]
    public async Task Check_ins_through_the_gateway_reach_both_nodes_skip_a_draining_one_and_survive_a_stopped_one()
    {
        var nodeA = await StartNodeAsync("node-a");
        var nodeB = await StartNodeAsync("node-b");
        var gateway = await StartGatewayAsync();
        using var admin = new HttpClient { BaseAddress = gateway };
        admin.DefaultRequestHeaders.Add("X-Admin-Key", AdminKey);
        // Until the gateway's registry watcher has seen both nodes, YARP answers 503 (no destination).
        await Eventually.TrueAsync(
            async () =>
            {
                var registry = _cluster.Apps[^1].Services.GetRequiredService<INodeRegistry>();
                using var ready = await admin.GetAsync("/health/ready");
                return registry.Nodes.Count == 2 && ready.StatusCode == HttpStatusCode.OK;
            },
            "the gateway routes to both nodes");

        var gate = (await CreateAsync(admin, "/api/v1/gates", new { name = "Hall", kind = "entrance" })).GetProperty("id").GetInt64();
        var scannerKey = (await CreateAsync(admin, "/api/v1/scanners", new { name = "Scanner", gateIds = new[] { gate } })).GetProperty("apiKey").GetString()!;
        var people = Enumerable.Range(0, 240).Select(i => new { name = $"Guest {i}", credential = $"gateway-test-credential-{i:D4}" }).ToArray();
        using (var import = await admin.PostAsJsonAsync("/api/v1/participants", people))
        {
            Assert.Equal(HttpStatusCode.OK, import.StatusCode);
        }

        using var scanner = new HttpClient { BaseAddress = gateway };
        scanner.DefaultRequestHeaders.Add("X-Scanner-Key", scannerKey);
        var admitted = 0;

        // Both nodes serve check-ins.
        _served.Clear();
        // A scanner retries a gateway error with the same request id in every phase: on a loaded machine a node's health
        // can dip for a refresh and YARP then has no destination for a moment (an empty 503), which is not a refusal.
        admitted += await CheckInAsync(scanner, gate, people[..80].Select(p => p.credential), retryOnGatewayError: true);
        Assert.True(_served.GetValueOrDefault("node-a") > 0 && _served.GetValueOrDefault("node-b") > 0, $"both nodes served check-ins: {string.Join(", ", _served)}");

        // Node A drains: within a refresh or two the gateway sends it nothing new.
        Registry(nodeA).Draining = true;
        await Registry(nodeA).HeartbeatAsync();
        var gatewayServices = _cluster.Apps[^1].Services;
        await Eventually.TrueAsync(
            () => gatewayServices.GetRequiredService<INodeRegistry>().Nodes.Any(n => n.NodeId == "node-a" && n.Draining)
                && !gatewayServices.GetRequiredService<EventKitProxyConfigProvider>().GetConfig().Clusters[0].Destinations!.ContainsKey("node-a"),
            "the gateway sees node A draining and drops it from the cluster");
        _served.Clear();
        admitted += await CheckInAsync(scanner, gate, people[80..160].Select(p => p.credential), retryOnGatewayError: true);
        Assert.Equal(0, _served.GetValueOrDefault("node-a"));

        // Node A comes back, node B stops: the gateway routes around it, and nothing is refused.
        Registry(nodeA).Draining = false;
        await Registry(nodeA).HeartbeatAsync();
        await nodeB.StopAsync();
        _served.Clear();
        admitted += await CheckInAsync(scanner, gate, people[160..].Select(p => p.credential), retryOnGatewayError: true);
        Assert.True(_served.GetValueOrDefault("node-a") > 0);

        Assert.Equal(240, admitted);
        await using var count = _cluster.Postgres.DataSource.CreateCommand("SELECT count(*) FROM attendance_records WHERE gate_id = $1");
        count.Parameters.Add(new NpgsqlParameter { Value = gate });
        Assert.Equal(240L, (long)(await count.ExecuteScalarAsync())!);
    }

    private static INodeRegistry Registry(WebApplication node) => node.Services.GetRequiredService<INodeRegistry>();

    private static async Task<JsonElement> CreateAsync(HttpClient admin, string path, object body)
    {
        using var response = await admin.PostAsJsonAsync(path, body);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    private static async Task<int> CheckInAsync(HttpClient scanner, long gate, IEnumerable<string> credentials, bool retryOnGatewayError = false)
    {
        var admitted = 0;
        foreach (var credential in credentials)
        {
            var requestId = Guid.NewGuid();
            for (var attempt = 0; ; attempt++)
            {
                using var response = await scanner.PostAsJsonAsync("/api/v1/checkins", new { gateId = gate, credential, method = "qr", requestId });
                if (response.StatusCode == HttpStatusCode.Created)
                {
                    admitted++;
                    break;
                }

                // A request YARP had already sent to the stopped node fails as 502/503; the scanner retries with the same
                // request id, which is what makes the retry safe.
                Assert.True(retryOnGatewayError && attempt < 20 && (int)response.StatusCode is 502 or 503 or 504, $"{credential}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
                await Task.Delay(100);
            }
        }

        return admitted;
    }

    private async Task<WebApplication> StartNodeAsync(string nodeId)
    {
        var (app, _) = await _cluster.StartNodeAsync(nodeId, AdminKey, beforeApi: app => app.Use(async (context, next) =>
        {
            if (context.Request.Path.StartsWithSegments("/api", StringComparison.Ordinal))
            {
                _served.AddOrUpdate(nodeId, 1, static (_, n) => n + 1);
            }

            await next(context);
        }));
        return app;
    }

    private async Task<Uri> StartGatewayAsync()
    {
        var port = TestNodes.FreePort();
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls($"http://127.0.0.1:{port}");
        builder.Logging.ClearProviders();
        builder.Services.AddEventKit()
            .AddRedis(o =>
            {
                o.Configuration = redis.Configuration;
                o.KeyPrefix = _cluster.Prefix;
            })
            .AddScaling(o =>
            {
                o.ObserveOnly = true;
                o.NodeId = "gateway";
                o.KeyPrefix = _cluster.Prefix + "scaling:";
                o.HeartbeatInterval = TimeSpan.FromMilliseconds(300);
            });
        builder.Services.AddReverseProxy().LoadFromEventKitNodes(o =>
        {
            o.RefreshInterval = TimeSpan.FromMilliseconds(200);
            o.HealthCheckInterval = TimeSpan.FromSeconds(1);
        });
        var app = builder.Build();
        app.MapReverseProxy();
        await app.StartAsync();
        _cluster.Add(app);
        return new Uri($"http://127.0.0.1:{port}");
    }
}
