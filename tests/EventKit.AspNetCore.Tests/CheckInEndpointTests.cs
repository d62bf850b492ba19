using System.Net;
using System.Net.Http.Json;
using System.Text;

namespace EventKit.AspNetCore.Tests;

public sealed class CheckInEndpointTests(ApiFixture fixture) : IClassFixture<ApiFixture>
{
    private ApiHost Host => fixture.Host;

    [Fact]
    public async Task Admitted_is_201_and_its_row_is_committed()
    {
        var gate = await Host.CreateGateAsync();
        var token = ApiFixture.Token();
        var ids = await Host.ImportAsync(("Kim Min-jun", token, "active"));

        using var response = await Host.CheckInAsync(gate, token);

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var body = await response.BodyAsync();
        Assert.Equal("admitted", body.GetProperty("status").GetString());
        Assert.Equal(ids[0], body.GetProperty("participantId").GetInt64());
        Assert.Equal(gate, body.GetProperty("gateId").GetInt64());
        var recordId = body.GetProperty("recordId").GetGuid();
        Assert.Equal(1, await fixture.CountAsync("SELECT count(*) FROM attendance_records WHERE id = $1", recordId));
    }

    [Fact]
    public async Task Second_scan_inside_the_window_is_200_duplicate_of_the_first()
    {
        var gate = await Host.CreateGateAsync();
        var token = ApiFixture.Token();
        await Host.ImportAsync(("Lee", token, "active"));

        using var first = await Host.CheckInAsync(gate, token);
        using var second = await Host.CheckInAsync(gate, token);

        Assert.Equal(HttpStatusCode.OK, second.StatusCode);
        var body = await second.BodyAsync();
        Assert.Equal("duplicate", body.GetProperty("status").GetString());
        Assert.Equal((await first.BodyAsync()).GetProperty("recordId").GetGuid(), body.GetProperty("recordId").GetGuid());
    }

    [Fact]
    public async Task Replayed_request_id_returns_the_same_status_and_body_and_writes_nothing()
    {
        var gate = await Host.CreateGateAsync();
        var token = ApiFixture.Token();
        var ids = await Host.ImportAsync(("Park", token, "active"));
        var requestId = Guid.CreateVersion7();

        using var first = await Host.CheckInAsync(gate, token, requestId);
        using var replay = await Host.CheckInAsync(gate, token, requestId);

        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        Assert.Equal(HttpStatusCode.Created, replay.StatusCode);
        Assert.Equal(await first.Content.ReadAsStringAsync(), await replay.Content.ReadAsStringAsync());
        Assert.Equal(1, await fixture.CountAsync("SELECT count(*) FROM attendance_records WHERE participant_id = $1", ids[0]));
    }

    [Fact]
    public async Task Hundred_concurrent_identical_check_ins_give_one_201_and_99_duplicates_and_one_row()
    {
        var gate = await Host.CreateGateAsync();
        var token = ApiFixture.Token();
        var ids = await Host.ImportAsync(("Choi", token, "active"));

        var responses = await Task.WhenAll(Enumerable.Range(0, 100).Select(_ => Host.CheckInAsync(gate, token)));
        var odd = responses.FirstOrDefault(r => r.StatusCode is not (HttpStatusCode.OK or HttpStatusCode.Created));
        Assert.True(odd is null, odd is null ? "" : $"{odd.StatusCode} {await odd.Content.ReadAsStringAsync()}");

        Assert.Single(responses, r => r.StatusCode == HttpStatusCode.Created);
        Assert.Equal(99, responses.Count(r => r.StatusCode == HttpStatusCode.OK));
        Assert.Equal(1, await fixture.CountAsync("SELECT count(*) FROM attendance_records WHERE participant_id = $1", ids[0]));
        foreach (var response in responses)
        {
            response.Dispose();
        }
    }

    [Theory]
    [InlineData("unknown", HttpStatusCode.NotFound, "unknown_credential")]
    [InlineData("revoked", HttpStatusCode.Forbidden, "inactive_participant")]
    [InlineData("suspended", HttpStatusCode.Forbidden, "inactive_participant")]
    public async Task Refused_credentials_get_problem_details_and_no_row(string kind, HttpStatusCode status, string code)
    {
        var gate = await Host.CreateGateAsync();
        var token = ApiFixture.Token();
        if (kind != "unknown")
        {
            await Host.ImportAsync(("Refused " + kind, token, kind));
        }

        using var response = await Host.CheckInAsync(gate, token);

        Assert.Equal(status, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var body = await response.BodyAsync();
        Assert.Equal(code, body.GetProperty("code").GetString());
        Assert.Equal("urn:eventkit:problem:" + code, body.GetProperty("type").GetString());
        Assert.DoesNotContain(token, body.ToString(), StringComparison.Ordinal);
        Assert.Equal(0, await fixture.CountAsync("SELECT count(*) FROM attendance_records WHERE gate_id = $1", gate));
    }

    [Fact]
    public async Task Unknown_gate_is_403_for_the_scanner_and_closed_gate_is_409()
    {
        var token = ApiFixture.Token();
        await Host.ImportAsync(("Gate tester", token, "active"));
        using (var unknown = await Host.PostCheckInAsync(JsonContent.Create(new { gateId = 987_654, credential = token, method = "qr" }), await ScannerKeyAsync()))
        {
            // No scanner can be allowed at a gate that does not exist.
            Assert.Equal(HttpStatusCode.Forbidden, unknown.StatusCode);
            Assert.Equal("gate_not_allowed", (await unknown.BodyAsync()).GetProperty("code").GetString());
        }

        var gate = await Host.CreateGateAsync("Side door");
        using (var open = await Host.CheckInAsync(gate, ApiFixture.Token()))
        {
            Assert.Equal(HttpStatusCode.NotFound, open.StatusCode); // the gate is cached as open now
        }

        using (var close = await Host.Admin.PatchAsJsonAsync($"/api/v1/gates/{gate}", new { open = false }))
        {
            Assert.Equal(HttpStatusCode.OK, close.StatusCode);
        }

        using var closed = await Host.CheckInAsync(gate, token);
        Assert.Equal(HttpStatusCode.Conflict, closed.StatusCode);
        Assert.Equal("gate_closed", (await closed.BodyAsync()).GetProperty("code").GetString());
    }

    [Theory]
    [InlineData("{\"gateId\":", "malformed_json", null)]
    [InlineData("{\"gateId\":\"twelve\",\"credential\":\"x\",\"method\":\"qr\"}", "invalid_gateId", "gateId")]
    [InlineData("{\"gateId\":\"1\",\"credential\":\"x\",\"method\":\"qr\"}", "invalid_gateId", "gateId")]
    [InlineData("{\"credential\":\"x\",\"method\":\"qr\"}", "invalid_gateId", "gateId")]
    [InlineData("{\"gateId\":1,\"method\":\"qr\"}", "invalid_credential", "credential")]
    [InlineData("{\"gateId\":1,\"credential\":42,\"method\":\"qr\"}", "invalid_credential", "credential")]
    [InlineData("{\"gateId\":1,\"credential\":\"x\",\"method\":\"ble\"}", "invalid_method", "method")]
    [InlineData("{\"gateId\":1,\"credential\":\"x\",\"method\":\"qr\",\"requestId\":\"not-a-uuid\"}", "invalid_requestId", "requestId")]
    [InlineData("{\"gateId\":1,\"credential\":\"x\",\"method\":\"qr\",\"occurredAt\":\"yesterday\"}", "invalid_occurredAt", "occurredAt")]
    [InlineData("[]", "malformed_json", null)]
    public async Task Bad_input_is_400_naming_the_field(string json, string code, string? field)
    {
        using var content = new StringContent(json, Encoding.UTF8, "application/json");
        using var response = await Host.PostCheckInAsync(content, await ScannerKeyAsync());

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var body = await response.BodyAsync();
        Assert.Equal(code, body.GetProperty("code").GetString());
        if (field is not null)
        {
            Assert.Equal(field, body.GetProperty("field").GetString());
        }
    }

    [Fact]
    public async Task Credential_over_256_characters_is_400_without_echoing_it()
    {
        var gate = await Host.CreateGateAsync();
        var secret = "S" + new string('x', 256);
        using var response = await Host.CheckInAsync(gate, secret);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var body = await response.BodyAsync();
        Assert.Equal("invalid_credential", body.GetProperty("code").GetString());
        Assert.DoesNotContain("Sxxxx", body.ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(-25 * 60)]
    [InlineData(6)]
    public async Task Occurred_at_outside_24_h_past_to_5_min_future_is_400(int minutes)
    {
        var gate = await Host.CreateGateAsync();
        var token = ApiFixture.Token();
        await Host.ImportAsync(("Timely", token, "active"));
        using var response = await Host.CheckInAsync(gate, token, occurredAt: DateTimeOffset.UtcNow.AddMinutes(minutes));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("invalid_occurredAt", (await response.BodyAsync()).GetProperty("code").GetString());
        Assert.Equal(0, await fixture.CountAsync("SELECT count(*) FROM attendance_records WHERE gate_id = $1", gate));
    }

    [Fact]
    public async Task Offline_upload_from_earlier_today_is_admitted_at_its_time()
    {
        var gate = await Host.CreateGateAsync();
        var token = ApiFixture.Token();
        await Host.ImportAsync(("Offline", token, "active"));
        var at = DateTimeOffset.UtcNow.AddHours(-3);
        using var response = await Host.CheckInAsync(gate, token, occurredAt: at);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Equal(at.ToUnixTimeMilliseconds(), (await response.BodyAsync()).GetProperty("occurredAt").GetDateTimeOffset().ToUnixTimeMilliseconds());
    }

    [Fact]
    public async Task Body_over_16_KiB_is_413()
    {
        var json = "{\"gateId\":1,\"credential\":\"x\",\"method\":\"qr\",\"pad\":\"" + new string('p', 17 * 1024) + "\"}";
        using var content = new StringContent(json, Encoding.UTF8, "application/json");
        using var response = await Host.PostCheckInAsync(content, await ScannerKeyAsync());
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Equal("body_too_large", (await response.BodyAsync()).GetProperty("code").GetString());
    }

    [Fact]
    public async Task Revoking_or_rekeying_a_participant_takes_effect_at_once()
    {
        var gate = await Host.CreateGateAsync();
        var other = await Host.CreateGateAsync("Other");
        var token = ApiFixture.Token();
        var id = (await Host.ImportAsync(("Rekeyed", token, "active")))[0];
        using (var warm = await Host.CheckInAsync(gate, token))
        {
            Assert.Equal(HttpStatusCode.Created, warm.StatusCode);
        }

        var fresh = ApiFixture.Token();
        using (var patch = await Host.Admin.PatchAsJsonAsync($"/api/v1/participants/{id}", new { credential = fresh }))
        {
            Assert.Equal(HttpStatusCode.OK, patch.StatusCode);
        }

        using (var old = await Host.CheckInAsync(other, token))
        {
            Assert.Equal(HttpStatusCode.NotFound, old.StatusCode);
        }

        using (var renewed = await Host.CheckInAsync(other, fresh))
        {
            Assert.Equal(HttpStatusCode.Created, renewed.StatusCode);
        }

        using (var revoke = await Host.Admin.PatchAsJsonAsync($"/api/v1/participants/{id}", new { status = "revoked" }))
        {
            Assert.Equal(HttpStatusCode.OK, revoke.StatusCode);
        }

        var third = await Host.CreateGateAsync("Third");
        using var refused = await Host.CheckInAsync(third, fresh);
        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
    }

    private async Task<string> ScannerKeyAsync() => Host.ScannerKeys.GetValueOrDefault(await Host.CreateGateAsync("Key gate")) ?? throw new InvalidOperationException();
}
