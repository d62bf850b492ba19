using System.Net;
using System.Net.Http.Json;
using EventKit.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace EventKit.AspNetCore.Tests;

/// <summary>GET /api/v1/gates and /api/v1/gateways (keyset pages, admin key, no key material), and the BLE routes without AddBleGates().</summary>
public sealed class ListingEndpointTests(ApiFixture fixture) : IClassFixture<ApiFixture>
{
    private ApiHost Host => fixture.Host;

    [Fact]
    public async Task Gates_are_listed_in_keyset_pages_with_their_kind_and_state()
    {
        var created = new List<long>();
        for (var i = 0; i < 5; i++)
        {
            created.Add(await Host.CreateGateAsync($"Listed {i}", open: i != 2, kind: i == 4 ? "session" : "entrance"));
        }

        var seen = new Dictionary<long, System.Text.Json.JsonElement>();
        string? cursor = null;
        var pages = 0;
        do
        {
            using var response = await Host.Admin.GetAsync("/api/v1/gates?limit=2" + (cursor is null ? "" : "&after=" + Uri.EscapeDataString(cursor)));
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            var body = await response.BodyAsync();
            var items = body.GetProperty("items").EnumerateArray().ToList();
            Assert.True(items.Count <= 2);
            foreach (var item in items)
            {
                Assert.True(seen.TryAdd(item.GetProperty("id").GetInt64(), item), "no gate twice");
            }

            cursor = body.TryGetProperty("nextCursor", out var next) ? next.GetString() : null;
            pages++;
        }
        while (cursor is not null && pages < 100);

        Assert.Equal(seen.Keys.Order(), seen.Keys);
        Assert.Superset(created.ToHashSet(), seen.Keys.ToHashSet());
        Assert.False(seen[created[2]].GetProperty("open").GetBoolean());
        Assert.Equal("session", seen[created[4]].GetProperty("kind").GetString());
        Assert.Equal("Listed 0", seen[created[0]].GetProperty("name").GetString());

        using var unauthenticated = await Host.Client.GetAsync("/api/v1/gates");
        Assert.Equal(HttpStatusCode.Unauthorized, unauthenticated.StatusCode);
        using var badCursor = await Host.Admin.GetAsync("/api/v1/gates?after=nonsense");
        Assert.Equal("invalid_after", (await badCursor.BodyAsync()).GetProperty("code").GetString());
        using var badLimit = await Host.Admin.GetAsync("/api/v1/gates?limit=0");
        Assert.Equal("invalid_limit", (await badLimit.BodyAsync()).GetProperty("code").GetString());
    }

    [Fact]
    public async Task Gateways_are_listed_without_key_material_and_revoked_ones_drop_out()
    {
        var gate = await Host.CreateGateAsync("BLE listing");
        var ids = new List<long>();
        var keys = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            using var created = await Host.Admin.PostAsJsonAsync("/api/v1/gateways", new { name = $"gw-{i}", gateId = gate });
            var body = await created.BodyAsync();
            ids.Add(body.GetProperty("id").GetInt64());
            keys.Add(body.GetProperty("apiKey").GetString()!);
        }

        using (await Host.Admin.DeleteAsync($"/api/v1/gateways/{ids[1]}"))
        {
        }

        var listed = new List<System.Text.Json.JsonElement>();
        string? cursor = null;
        do
        {
            using var response = await Host.Admin.GetAsync("/api/v1/gateways?limit=1" + (cursor is null ? "" : "&after=" + Uri.EscapeDataString(cursor)));
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            var text = await response.Content.ReadAsStringAsync();
            Assert.All(keys, key => Assert.DoesNotContain(key, text));
            Assert.DoesNotContain("apiKey", text, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain("hash", text, StringComparison.OrdinalIgnoreCase);
            var body = System.Text.Json.JsonDocument.Parse(text).RootElement;
            listed.AddRange(body.GetProperty("items").EnumerateArray().Select(e => e.Clone()));
            cursor = body.TryGetProperty("nextCursor", out var next) ? next.GetString() : null;
        }
        while (cursor is not null);

        var listedIds = listed.Select(e => e.GetProperty("id").GetInt64()).ToList();
        Assert.Contains(ids[0], listedIds);
        Assert.Contains(ids[2], listedIds);
        Assert.DoesNotContain(ids[1], listedIds);
        Assert.Equal(gate, listed.First(e => e.GetProperty("id").GetInt64() == ids[0]).GetProperty("gateId").GetInt64());
        Assert.Equal("gw-2", listed.First(e => e.GetProperty("id").GetInt64() == ids[2]).GetProperty("name").GetString());
    }

    [Fact]
    public async Task Without_AddBleGates_the_gateway_routes_answer_a_problem_naming_it_and_start_up_logs_why()
    {
        var logs = new ListLogger { MinimumLevel = LogLevel.Warning };
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseTestServer();
        builder.Logging.ClearProviders().AddProvider(logs);
        builder.Services.AddEventKit()
            .AddPostgresStorage(o => o.ConnectionString = fixture.Postgres.ConnectionString)
            .AddHttpApi(o => o.AdminKey = ApiHost.AdminKey);
        await using var app = builder.Build();
        app.MapEventKitApi();
        await app.StartAsync();
        using var client = app.GetTestClient();
        client.DefaultRequestHeaders.Add("X-Admin-Key", ApiHost.AdminKey);

        foreach (var (method, path) in new[] { ("GET", "/api/v1/gateways"), ("POST", "/api/v1/gateways"), ("POST", "/api/v1/gateways/1/rotate-key"), ("DELETE", "/api/v1/gateways/1"), ("POST", "/api/v1/gateways/1/reports"), ("POST", "/api/v1/participants/1/ble-key") })
        {
            using var response = await client.SendAsync(new HttpRequestMessage(new HttpMethod(method), path));
            Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
            var body = await response.BodyAsync();
            Assert.Equal("ble_gates_not_enabled", body.GetProperty("code").GetString());
            Assert.Contains("AddBleGates()", body.GetProperty("detail").GetString());
        }

        Assert.Single(logs.Entries, e => e.EventId.Id == 5004 && e.Message.Contains("AddBleGates()", StringComparison.Ordinal));

        // The gate listing does not need BLE.
        using var gates = await client.GetAsync("/api/v1/gates");
        Assert.Equal(HttpStatusCode.OK, gates.StatusCode);
        await app.StopAsync();
    }
}
