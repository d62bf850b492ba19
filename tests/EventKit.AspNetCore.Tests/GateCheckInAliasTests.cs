using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace EventKit.AspNetCore.Tests;

public sealed class GateCheckInAliasTests(ApiFixture fixture) : IClassFixture<ApiFixture>
{
    private ApiHost Host => fixture.Host;

    [Fact]
    public async Task The_gate_in_the_path_checks_in_like_the_body_endpoint_and_shares_its_anti_passback()
    {
        var gate = await Host.CreateGateAsync();
        var token = ApiFixture.Token();
        var ids = await Host.ImportAsync(("Ana Alias", token, "active"));

        using var first = await Host.PostGateCheckInAsync(gate, new { credential = token, method = "qr" });
        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        var body = await first.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(ids[0], body.GetProperty("participantId").GetInt64());
        Assert.Equal(gate, body.GetProperty("gateId").GetInt64());
        Assert.Equal(1, await fixture.CountAsync("SELECT count(*) FROM attendance_records WHERE id = $1", body.GetProperty("recordId").GetGuid()));

        using var second = await Host.CheckInAsync(gate, token);
        Assert.Equal(HttpStatusCode.OK, second.StatusCode);
        Assert.Equal("duplicate", (await second.BodyAsync()).GetProperty("status").GetString());
    }

    [Fact]
    public async Task A_different_gate_in_the_body_is_a_field_error()
    {
        var gate = await Host.CreateGateAsync();
        using var response = await Host.PostGateCheckInAsync(gate, new { gateId = gate + 1, credential = "x", method = "qr" });
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("gateId", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_alias_needs_a_scanner_key_allowed_at_the_path_gate_and_json()
    {
        var gate = await Host.CreateGateAsync();
        var other = await Host.CreateGateAsync();
        var token = ApiFixture.Token();
        await Host.ImportAsync(("Ali Alias", token, "active"));

        using (var anonymous = await Host.Client.PostAsJsonAsync($"/api/v1/gates/{gate}/checkins", new { credential = token, method = "qr" }))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
            Assert.Equal("scanner_key_required", (await anonymous.BodyAsync()).GetProperty("code").GetString());
        }

        using (var elsewhere = await Host.PostGateCheckInAsync(gate, new { credential = token, method = "qr" }, Host.ScannerKeys[other]))
        {
            Assert.Equal(HttpStatusCode.Forbidden, elsewhere.StatusCode);
            Assert.Equal("gate_not_allowed", (await elsewhere.BodyAsync()).GetProperty("code").GetString());
        }

        using (var text = new HttpRequestMessage(HttpMethod.Post, $"/api/v1/gates/{gate}/checkins") { Content = new StringContent($"{{\"credential\":\"{token}\",\"method\":\"qr\"}}", System.Text.Encoding.UTF8, "text/plain") })
        {
            text.Headers.Add("X-Scanner-Key", Host.ScannerKeys[gate]);
            using var crossSite = await Host.Client.SendAsync(text);
            Assert.Equal(HttpStatusCode.UnsupportedMediaType, crossSite.StatusCode);
        }

        Assert.Equal(0, await fixture.CountAsync("SELECT count(*) FROM attendance_records WHERE gate_id = ANY($1)", new[] { gate, other }));
    }
}
