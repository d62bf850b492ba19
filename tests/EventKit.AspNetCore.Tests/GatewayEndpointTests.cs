using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using EventKit.Gates.Ble;

namespace EventKit.AspNetCore.Tests;

/// <summary>BLE gateway registration and reports, end to end over HTTP into PostgreSQL.</summary>
public sealed class GatewayEndpointTests(ApiFixture fixture) : IClassFixture<ApiFixture>
{
    private ApiHost Host => fixture.Host;

    private async Task<(long Id, string Key, long Gate)> RegisterGatewayAsync()
    {
        var gate = await Host.CreateGateAsync("BLE door");
        using var response = await Host.Admin.PostAsJsonAsync("/api/v1/gateways", new { name = "gw", gateId = gate });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var body = await response.BodyAsync();
        return (body.GetProperty("id").GetInt64(), body.GetProperty("apiKey").GetString()!, gate);
    }

    private async Task<BleIdentity> ProvisionAsync(long participantId)
    {
        using var response = await Host.Admin.PostAsync($"/api/v1/participants/{participantId}/ble-key", null);
        var body = await response.BodyAsync();
        return new BleIdentity(participantId, Convert.FromHexString(body.GetProperty("identityKey").GetString()!), (byte)body.GetProperty("rotationExponent").GetInt32(), body.GetProperty("clockOffset").GetUInt32());
    }

    private static StringContent Ndjson(string text) => new(text, Encoding.UTF8, "application/x-ndjson");

    private Task<HttpResponseMessage> ReportAsync(long gatewayId, string? key, HttpContent content)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, $"/api/v1/gateways/{gatewayId}/reports") { Content = content };
        if (key is not null)
        {
            request.Headers.Add("X-Gateway-Key", key);
        }

        return Host.Client.SendAsync(request);
    }

    [Fact]
    public async Task Registration_issues_a_key_that_is_stored_hashed()
    {
        var (id, key, _) = await RegisterGatewayAsync();
        Assert.True(key.Length >= 40);
        Assert.Equal(0, await fixture.CountAsync("SELECT count(*) FROM gateways WHERE encode(api_key_hash, 'escape') LIKE '%' || $1 || '%'", key));
        Assert.Equal(1, await fixture.CountAsync("SELECT count(*) FROM gateways WHERE id = $1 AND api_key_hash = $2 AND api_key_hash <> sha256(convert_to($3, 'UTF8'))", id, ApiHost.Hasher.Compute(key).ToArray(), key));

        using var unknownGate = await Host.Admin.PostAsJsonAsync("/api/v1/gateways", new { name = "gw", gateId = 987654 });
        Assert.Equal(HttpStatusCode.NotFound, unknownGate.StatusCode);
    }

    [Fact]
    public async Task Reports_need_the_gateways_own_key()
    {
        var (id, key, _) = await RegisterGatewayAsync();
        var (otherId, _, _) = await RegisterGatewayAsync();
        using (var missing = await ReportAsync(id, null, Ndjson("")))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, missing.StatusCode);
        }

        using (var wrong = await ReportAsync(id, key + "x", Ndjson("")))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
        }

        using (var borrowed = await ReportAsync(otherId, key, Ndjson("")))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, borrowed.StatusCode);
        }

        using var unsupported = await ReportAsync(id, key, new StringContent("x", Encoding.UTF8, "text/plain"));
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, unsupported.StatusCode);
    }

    [Fact]
    public async Task A_phone_walking_up_to_the_gate_is_admitted_once_with_method_ble()
    {
        var (gatewayId, key, gate) = await RegisterGatewayAsync();
        var participant = (await Host.ImportAsync(("Phone Walker", ApiFixture.Token(), "active")))[0];
        var identity = await ProvisionAsync(participant);

        var start = DateTimeOffset.UtcNow.AddSeconds(-3);
        var lines = new StringBuilder();
        for (var i = 0; i < 10; i++)
        {
            var at = start.AddMilliseconds(i * 250);
            var advert = Convert.ToHexStringLower(EddystoneEid.CreateAdvert(identity, at));
            lines.Append(CultureInfo.InvariantCulture, $"{{\"t\":{at.ToUnixTimeMilliseconds()},\"mac\":\"C6:A5:00:00:00:01\",\"rssi\":-52,\"adv\":\"{advert}\"}}\n");
        }

        lines.Append("{\"t\":\"garbage\"}\n");
        using var response = await ReportAsync(gatewayId, key, Ndjson(lines.ToString()));

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var body = await response.BodyAsync();
        Assert.Equal(11, body.GetProperty("sightings").GetInt32());
        Assert.Equal(10, body.GetProperty("resolved").GetInt32());
        Assert.Equal(1, body.GetProperty("admitted").GetInt32());
        Assert.Equal(1, body.GetProperty("rejected").GetInt32());
        Assert.Equal(1, await fixture.CountAsync("SELECT count(*) FROM attendance_records WHERE participant_id = $1 AND gate_id = $2 AND method = $3", participant, gate, (short)CheckInMethod.Ble));
    }

    [Fact]
    public async Task A_malformed_ruuvi_envelope_is_400_and_a_replayed_nonce_is_rejected()
    {
        var (gatewayId, key, _) = await RegisterGatewayAsync();
        using (var broken = await ReportAsync(gatewayId, key, new StringContent("{\"data\":", Encoding.UTF8, "application/json")))
        {
            Assert.Equal(HttpStatusCode.BadRequest, broken.StatusCode);
            Assert.Equal("malformed_report", (await broken.BodyAsync()).GetProperty("code").GetString());
        }

        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        var tag = "{\"rssi\":-70,\"timestamp\":\"" + now + "\",\"data\":\"0201061AFF4C000215E2C56DB5DFFB48D2B060D0F5A71096E000010002C5\"}";
        var ruuvi = "{\"data\":{\"timestamp\":\"" + now + "\",\"nonce\":\"424242\",\"gw_mac\":\"AA:BB:CC:DD:EE:FF\",\"tags\":{\"C6:A5:00:00:00:02\":" + tag + "}}}";
        using (var first = await ReportAsync(gatewayId, key, new StringContent(ruuvi, Encoding.UTF8, "application/json")))
        {
            Assert.Equal(HttpStatusCode.Accepted, first.StatusCode);
            Assert.Equal(0, (await first.BodyAsync()).GetProperty("admitted").GetInt32());
        }

        using var replay = await ReportAsync(gatewayId, key, new StringContent(ruuvi, Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.Accepted, replay.StatusCode);
        var body = await replay.BodyAsync();
        Assert.Equal(body.GetProperty("sightings").GetInt32(), body.GetProperty("rejected").GetInt32());
    }
}
