using System.Net;
using System.Net.Http.Headers;
using EventKit.Gates.Ble;

namespace EventKit.AspNetCore.Tests;

/// <summary>POST /api/v1/gates/{gateId}/ble-replay: a recorded btsnoop capture (hours old, which the live endpoint refuses
/// as stale) replayed through the gate's rules, dry by default.</summary>
public sealed class BleReplayTests(ApiFixture fixture) : IClassFixture<ApiFixture>
{
    private ApiHost Host => fixture.Host;

    [Fact]
    public async Task A_capture_from_hours_ago_reports_enters_and_exits_and_writes_only_when_asked()
    {
        var gate = await Host.CreateGateAsync("Replay door");
        var participant = (await Host.ImportAsync(("Replayed Phone", ApiFixture.Token(), "active")))[0];
        BleIdentity identity;
        using (var key = await Host.Admin.PostAsync($"/api/v1/participants/{participant}/ble-key", null))
        {
            var body = await key.BodyAsync();
            identity = new BleIdentity(participant, Convert.FromHexString(body.GetProperty("identityKey").GetString()!), (byte)body.GetProperty("rotationExponent").GetInt32(), body.GetProperty("clockOffset").GetUInt32());
        }

        // Three hours ago: the phone close to the gate for 4 s (20 adverts), then another device 60 s later.
        var start = DateTimeOffset.UtcNow.AddHours(-3);
        var records = Enumerable.Range(0, 20)
            .Select(i => start.AddMilliseconds(200 * i))
            .Select(at => (at, Event: AdvertisingReport(0xC0FFEE000001, EddystoneEid.CreateAdvert(identity, at), -48)))
            .Append((start.AddSeconds(60), AdvertisingReport(0xC0FFEE000002, Convert.FromHexString("02010605FF99040501"), -70)))
            .ToArray();
        var capture = Btsnoop(records);

        var dry = await ReplayAsync(gate, capture, write: false);
        Assert.Equal(21, dry.GetProperty("adverts").GetInt32());
        Assert.Equal(20, dry.GetProperty("resolved").GetInt32());
        Assert.Equal(1, dry.GetProperty("ignored").GetInt32());
        Assert.Equal(0, dry.GetProperty("refused").GetInt32());
        Assert.Equal(1, dry.GetProperty("enters").GetInt32());
        Assert.Equal(1, dry.GetProperty("exits").GetInt32());
        Assert.Equal(0, dry.GetProperty("admitted").GetInt32());
        Assert.InRange(dry.GetProperty("shiftSeconds").GetDouble(), 3 * 3600 - 120, 3 * 3600 + 120);
        Assert.Equal(0, await fixture.CountAsync("SELECT count(*) FROM attendance_records WHERE participant_id = $1", participant));

        var written = await ReplayAsync(gate, capture, write: true);
        Assert.Equal(1, written.GetProperty("admitted").GetInt32());
        Assert.Equal(1, await fixture.CountAsync("SELECT count(*) FROM attendance_records WHERE participant_id = $1 AND gate_id = $2 AND method = 2", participant, gate));

        using var notACapture = await Host.Admin.PostAsync($"/api/v1/gates/{gate}/ble-replay", new ByteArrayContent("hello"u8.ToArray()));
        Assert.Equal("malformed_capture", (await notACapture.BodyAsync()).GetProperty("code").GetString());
        using var unknownGate = await Host.Admin.PostAsync("/api/v1/gates/999999/ble-replay", new ByteArrayContent(capture));
        Assert.Equal(HttpStatusCode.NotFound, unknownGate.StatusCode);
        using var anonymous = await Host.Client.PostAsync($"/api/v1/gates/{gate}/ble-replay", new ByteArrayContent(capture));
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
    }

    private async Task<System.Text.Json.JsonElement> ReplayAsync(long gate, byte[] capture, bool write)
    {
        var content = new ByteArrayContent(capture);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/vnd.btsnoop");
        using var response = await Host.Admin.PostAsync($"/api/v1/gates/{gate}/ble-replay" + (write ? "?write=true" : ""), content);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.BodyAsync();
    }

    /// <summary>An HCI LE Advertising Report event with one report (ADV_IND, random address).</summary>
    private static byte[] AdvertisingReport(ulong mac, byte[] data, sbyte rssi)
    {
        var parameters = new List<byte> { 0x02, 1, 0x00, 0x01 };
        for (var i = 0; i < 6; i++)
        {
            parameters.Add((byte)(mac >> (8 * i)));
        }

        parameters.Add((byte)data.Length);
        parameters.AddRange(data);
        parameters.Add((byte)rssi);
        return [0x3E, (byte)parameters.Count, .. parameters];
    }

    /// <summary>A btsnoop file (datalink 1001, un-encapsulated HCI) of received events.</summary>
    private static byte[] Btsnoop((DateTimeOffset At, byte[] Event)[] records)
    {
        var file = new List<byte>("btsnoop\0"u8.ToArray());
        AddUInt32(file, 1);
        AddUInt32(file, 1001);
        foreach (var (at, hciEvent) in records)
        {
            AddUInt32(file, (uint)hciEvent.Length);
            AddUInt32(file, (uint)hciEvent.Length);
            AddUInt32(file, 0x3); // received event
            AddUInt32(file, 0);
            var timestamp = (at.ToUnixTimeMilliseconds() * 1000) + 0x00dcddb30f2f8000;
            AddUInt32(file, (uint)(timestamp >> 32));
            AddUInt32(file, (uint)timestamp);
            file.AddRange(hciEvent);
        }

        return [.. file];
    }

    private static void AddUInt32(List<byte> bytes, uint value)
    {
        bytes.Add((byte)(value >> 24));
        bytes.Add((byte)(value >> 16));
        bytes.Add((byte)(value >> 8));
        bytes.Add((byte)value);
    }
}
