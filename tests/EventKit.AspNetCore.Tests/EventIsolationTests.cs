using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;

namespace EventKit.AspNetCore.Tests;

/// <summary>Two events in one database: every read and change of one node is scoped to its event; the other's ids are 404.</summary>
public sealed class EventIsolationTests(ApiFixture fixture) : IClassFixture<ApiFixture>
{
    private ApiHost One => fixture.Host;

    private static long[] Ids(JsonElement array, string property) => [.. array.EnumerateArray().Select(e => e.GetProperty(property).GetInt64())];

    [Fact]
    public async Task Another_events_ids_are_404_on_every_read_and_change_and_lists_leave_them_out()
    {
        await using var two = await ApiHost.StartAsync(fixture.Postgres.ConnectionString, fixture.Redis.Configuration, fixture.Redis.KeyPrefix, eventKit: o => o.EventId = 2);

        // Event 1: a gate with a scanner, a participant with a record, a gateway.
        var gate1 = await One.CreateGateAsync("Event one door");
        var token1 = ApiFixture.Token();
        var person1 = (await One.ImportAsync(("Isolde Eventone", token1, "active")))[0];
        using (var admitted = await One.CheckInAsync(gate1, token1))
        {
            Assert.Equal(HttpStatusCode.Created, admitted.StatusCode);
        }

        var scanner1 = long.Parse(One.ScannerKeys[gate1].Split('_')[1], System.Globalization.CultureInfo.InvariantCulture);
        using var gatewayCreated = await One.Admin.PostAsJsonAsync("/api/v1/gateways", new { name = "Event one gateway", gateId = gate1 });
        var gatewayBody = await gatewayCreated.BodyAsync();
        var gateway1 = gatewayBody.GetProperty("id").GetInt64();
        var gatewayKey1 = gatewayBody.GetProperty("apiKey").GetString()!;

        // Event 2: its own gate, participant and record.
        var gate2 = await two.CreateGateAsync("Event two door");
        var token2 = ApiFixture.Token();
        var person2 = (await two.ImportAsync(("Isolde Eventtwo", token2, "active")))[0];
        using (var admitted = await two.CheckInAsync(gate2, token2))
        {
            Assert.Equal(HttpStatusCode.Created, admitted.StatusCode);
        }

        // Reads of event 1's ids on event 2's node.
        await AssertNotFoundAsync(two.Admin.GetAsync($"/api/v1/participants/{person1}"), "participant_not_found");
        await AssertNotFoundAsync(two.Admin.GetAsync($"/api/v1/attendance?participantId={person1}"), "participant_not_found");
        await AssertNotFoundAsync(two.Admin.GetAsync($"/api/v1/attendance?gateId={gate1}"), "unknown_gate");
        using (var many = await two.Admin.GetAsync($"/api/v1/participants?ids={person1},{person2}"))
        {
            Assert.Equal([person2], Ids(await many.BodyAsync(), "id"));
        }

        using (var search = await two.Admin.GetAsync("/api/v1/participants/search?q=Isolde"))
        {
            Assert.Equal([person2], Ids((await search.BodyAsync()).GetProperty("items"), "id"));
        }

        using (var attendance = await two.Admin.GetAsync("/api/v1/attendance?limit=1000"))
        {
            var items = (await attendance.BodyAsync()).GetProperty("items");
            Assert.DoesNotContain(person1, Ids(items, "participantId"));
            Assert.DoesNotContain(gate1, Ids(items, "gateId"));
            Assert.Contains(person2, Ids(items, "participantId"));
        }

        // The per-gate counts are cached for a minute (preloaded at start): read them fresh for this check.
        await two.Services.GetRequiredKeyedService<Microsoft.Extensions.Caching.Hybrid.HybridCache>(EventKitServiceKeys.Cache).RemoveAsync("stats:gates");
        using (var stats = await two.Admin.GetAsync("/api/v1/stats/gates"))
        {
            var gates = Ids(await stats.BodyAsync(), "gateId");
            Assert.DoesNotContain(gate1, gates);
            Assert.Contains(gate2, gates);
        }

        // stats:overall and active_gates are per event (both hosts share one Redis and cache prefix), and a new gate is
        // in them at once (the warmers cached them at start, before the gates existed).
        using (var overallOne = await One.Admin.GetAsync("/api/v1/stats/overall"))
        {
            Assert.Contains(gate1, (await overallOne.BodyAsync()).GetProperty("activeGates").EnumerateArray().Select(e => e.GetInt64()));
        }

        using (var overallTwo = await two.Admin.GetAsync("/api/v1/stats/overall"))
        {
            var active = (await overallTwo.BodyAsync()).GetProperty("activeGates").EnumerateArray().Select(e => e.GetInt64()).ToList();
            Assert.Contains(gate2, active);
            Assert.DoesNotContain(gate1, active);
        }

        using (var audit = await two.Admin.GetAsync("/api/v1/audit?limit=1000"))
        {
            var entries = (await audit.BodyAsync()).GetProperty("items").EnumerateArray().ToList();
            Assert.DoesNotContain(entries, e => e.GetProperty("entityKind").GetString() == "gate" && e.GetProperty("entityId").GetInt64() == gate1);
            Assert.Contains(entries, e => e.GetProperty("entityKind").GetString() == "gate" && e.GetProperty("entityId").GetInt64() == gate2);
        }

        // Changes of event 1's ids on event 2's node: 404, and nothing changed.
        await AssertNotFoundAsync(two.Admin.PatchAsJsonAsync($"/api/v1/participants/{person1}", new { status = "suspended" }), "participant_not_found");
        await AssertNotFoundAsync(two.Admin.PostAsync($"/api/v1/participants/{person1}/ble-key", null), "participant_not_found");
        await AssertNotFoundAsync(two.Admin.PatchAsJsonAsync($"/api/v1/gates/{gate1}", new { open = false }), "unknown_gate");
        await AssertNotFoundAsync(two.Admin.PostAsync($"/api/v1/scanners/{scanner1}/rotate-key", null), "scanner_not_found");
        await AssertNotFoundAsync(two.Admin.DeleteAsync($"/api/v1/scanners/{scanner1}"), "scanner_not_found");
        await AssertNotFoundAsync(two.Admin.PostAsync($"/api/v1/gateways/{gateway1}/rotate-key", null), "gateway_not_found");
        await AssertNotFoundAsync(two.Admin.DeleteAsync($"/api/v1/gateways/{gateway1}"), "gateway_not_found");
        await AssertNotFoundAsync(two.Admin.PostAsJsonAsync("/api/v1/scanners", new { name = "Cross", gateIds = new[] { gate1 } }), "unknown_gate");
        await AssertNotFoundAsync(two.Admin.PostAsJsonAsync("/api/v1/gateways", new { name = "Cross", gateId = gate1 }), "unknown_gate");
        Assert.Equal(1, await fixture.CountAsync("SELECT count(*) FROM participants WHERE id = $1 AND status = 'active' AND ble_identity_key IS NULL", person1));
        Assert.Equal(1, await fixture.CountAsync("SELECT count(*) FROM gates WHERE id = $1 AND is_open", gate1));
        Assert.Equal(1, await fixture.CountAsync("SELECT count(*) FROM scanners WHERE id = $1 AND revoked_at IS NULL AND rotated_at IS NULL", scanner1));
        Assert.Equal(1, await fixture.CountAsync("SELECT count(*) FROM gateways WHERE id = $1 AND revoked_at IS NULL AND rotated_at IS NULL", gateway1));

        // Event 1's keys do not authenticate on event 2's node.
        using (var checkIn = await two.PostCheckInAsync(JsonContent.Create(new { gateId = gate1, credential = token1, method = "qr" }), One.ScannerKeys[gate1]))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, checkIn.StatusCode);
        }

        using (var report = new HttpRequestMessage(HttpMethod.Post, $"/api/v1/gateways/{gateway1}/reports") { Content = new StringContent("", Encoding.UTF8, "application/x-ndjson") })
        {
            report.Headers.Add("X-Gateway-Key", gatewayKey1);
            using var refused = await two.Client.SendAsync(report);
            Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        }

        // Event 1's node still sees all of its own.
        using var own = await One.Admin.GetAsync($"/api/v1/participants/{person1}");
        Assert.Equal(HttpStatusCode.OK, own.StatusCode);
        Assert.Equal(1, (await own.BodyAsync()).GetProperty("attendance").GetProperty("count").GetInt64());
    }

    [Fact]
    public async Task Without_scanner_keys_a_check_in_at_another_events_gate_is_an_unknown_gate_and_writes_nothing()
    {
        await using var two = await ApiHost.StartAsync(
            fixture.Postgres.ConnectionString,
            fixture.Redis.Configuration,
            fixture.Redis.KeyPrefix,
            o =>
            {
                o.RequireScannerKeys = false;
                o.ConfirmUnauthenticatedCheckIns = true;
            },
            eventKit: o => o.EventId = 2);
        var gate1 = await One.CreateGateAsync("Event one only");
        var token1 = ApiFixture.Token();
        await One.ImportAsync(("Ivo Eventone", token1, "active"));

        using var response = await two.Client.PostAsJsonAsync("/api/v1/checkins", new { gateId = gate1, credential = token1, method = "qr" });

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("unknown_gate", (await response.BodyAsync()).GetProperty("code").GetString());
        Assert.Equal(0, await fixture.CountAsync("SELECT count(*) FROM attendance_records WHERE gate_id = $1", gate1));
    }

    private static async Task AssertNotFoundAsync(Task<HttpResponseMessage> call, string code)
    {
        using var response = await call;
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal(code, (await response.BodyAsync()).GetProperty("code").GetString());
    }
}
