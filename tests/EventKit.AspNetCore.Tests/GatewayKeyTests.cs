using System.Net;
using System.Net.Http.Json;
using System.Text;
using EventKit.AspNetCore.Internal;
using EventKit.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace EventKit.AspNetCore.Tests;

/// <summary>Gateway keys: rotated and revoked over the API, refused on every node within 30 s, lookups bounded.</summary>
public sealed class GatewayKeyTests(ApiFixture fixture) : IClassFixture<ApiFixture>
{
    private ApiHost Host => fixture.Host;

    private async Task<(long Id, string Key)> RegisterAsync()
    {
        var gate = await Host.CreateGateAsync("Gateway door");
        using var response = await Host.Admin.PostAsJsonAsync("/api/v1/gateways", new { name = "gw", gateId = gate });
        var body = await response.BodyAsync();
        return (body.GetProperty("id").GetInt64(), body.GetProperty("apiKey").GetString()!);
    }

    private static Task<HttpResponseMessage> ReportAsync(ApiHost host, long gatewayId, string key)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, $"/api/v1/gateways/{gatewayId}/reports") { Content = new StringContent("", Encoding.UTF8, "application/x-ndjson") };
        request.Headers.Add("X-Gateway-Key", key);
        return host.Client.SendAsync(request);
    }

    [Fact]
    public async Task Rotating_replaces_the_key_and_revoking_refuses_it()
    {
        var (id, oldKey) = await RegisterAsync();
        using (var ok = await ReportAsync(Host, id, oldKey))
        {
            Assert.Equal(HttpStatusCode.Accepted, ok.StatusCode);
        }

        using var rotated = await Host.Admin.PostAsync($"/api/v1/gateways/{id}/rotate-key", null);
        Assert.Equal(HttpStatusCode.OK, rotated.StatusCode);
        Assert.True(rotated.Headers.CacheControl?.NoStore);
        var newKey = (await rotated.BodyAsync()).GetProperty("apiKey").GetString()!;

        using (var old = await ReportAsync(Host, id, oldKey))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, old.StatusCode);
        }

        using (var fresh = await ReportAsync(Host, id, newKey))
        {
            Assert.Equal(HttpStatusCode.Accepted, fresh.StatusCode);
        }

        using (var revoke = await Host.Admin.DeleteAsync($"/api/v1/gateways/{id}"))
        {
            Assert.Equal(HttpStatusCode.NoContent, revoke.StatusCode);
        }

        using (var revoked = await ReportAsync(Host, id, newKey))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, revoked.StatusCode);
        }

        Assert.Equal(1, await fixture.CountAsync("SELECT count(*) FROM gateways WHERE id = $1 AND revoked_at IS NOT NULL", id));
        using var again = await Host.Admin.DeleteAsync($"/api/v1/gateways/{id}");
        Assert.Equal(HttpStatusCode.NotFound, again.StatusCode);
        using var anonymous = await Host.Client.DeleteAsync($"/api/v1/gateways/{id}");
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
    }

    [Fact]
    public async Task A_gateway_revoked_on_one_node_is_refused_on_the_other_within_30_s()
    {
        await using var other = await fixture.StartAnotherNodeAsync();
        var (id, key) = await RegisterAsync();
        using (var cached = await ReportAsync(other, id, key))
        {
            Assert.Equal(HttpStatusCode.Accepted, cached.StatusCode);
        }

        using (var revoke = await Host.Admin.DeleteAsync($"/api/v1/gateways/{id}"))
        {
            Assert.Equal(HttpStatusCode.NoContent, revoke.StatusCode);
        }

        await Eventually.TrueAsync(
            async () =>
            {
                using var response = await ReportAsync(other, id, key);
                return response.StatusCode == HttpStatusCode.Unauthorized;
            },
            "the revoked gateway is refused by the other node",
            TimeSpan.FromSeconds(30));
    }

    [Fact]
    public async Task Unknown_gateway_ids_and_malformed_keys_leave_nothing_cached()
    {
        await using var host = await ApiHost.StartAsync(fixture.Postgres.ConnectionString, fixture.Redis.Configuration, fixture.Redis.KeyPrefix, o => o.FailedAuthenticationsPerMinute = 0);
        var gateways = host.Services.GetRequiredService<RegisteredGateways>();
        var wellFormed = new string('A', 43);
        for (var i = 0; i < 50; i++)
        {
            using var response = await ReportAsync(host, 900_000_000 + i, i % 2 == 0 ? wellFormed : "short-key");
            Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        }

        Assert.Equal(0, gateways.Count);
        Assert.False(RegisteredGateways.IsIssuedFormat("short-key"));
        Assert.False(RegisteredGateways.IsIssuedFormat(new string('A', 42) + "="));
        Assert.True(RegisteredGateways.IsIssuedFormat(wellFormed));
    }
}
