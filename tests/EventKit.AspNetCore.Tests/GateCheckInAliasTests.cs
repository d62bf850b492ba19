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

        using var first = await Host.Client.PostAsJsonAsync($"/api/v1/gates/{gate}/checkins", new { credential = token, method = "qr" });
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
        using var response = await Host.Client.PostAsJsonAsync($"/api/v1/gates/{gate}/checkins", new { gateId = gate + 1, credential = "x", method = "qr" });
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("gateId", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }
}
