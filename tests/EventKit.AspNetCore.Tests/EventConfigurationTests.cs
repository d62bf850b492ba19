using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using EventKit.Testing;

namespace EventKit.AspNetCore.Tests;

/// <summary>GET/PUT /api/v1/event and check-ins outside opening hours (409 event_closed), on one node and across two.</summary>
public sealed class EventConfigurationTests(ApiFixture fixture) : IClassFixture<ApiFixture>
{
    private ApiHost Host => fixture.Host;

    private static string Hm(DateTimeOffset at) => at.UtcDateTime.ToString("HH:mm", CultureInfo.InvariantCulture);

    private static Task<HttpResponseMessage> PutAsync(ApiHost host, object body) => host.Admin.PutAsJsonAsync("/api/v1/event", body);

    /// <summary>Entrances open only in [now − 3 h, now − 1 h] (UTC wall clock): closed now, open two hours ago.</summary>
    private static object ClosedNowForEntrances(DateTimeOffset now) => new
    {
        name = "Closed now",
        timeZone = "UTC",
        openingHours = new { entrance = new[] { new { open = Hm(now.AddHours(-3)), close = Hm(now.AddHours(-1)) } } },
    };

    [Fact]
    public async Task The_event_starts_always_open_and_a_put_is_read_back_and_stored()
    {
        using (var first = await Host.Admin.GetAsync("/api/v1/event"))
        {
            Assert.Equal(HttpStatusCode.OK, first.StatusCode);
            var body = await first.BodyAsync();
            Assert.Equal(1, body.GetProperty("id").GetInt64());
            Assert.Equal(System.Text.Json.JsonValueKind.Null, body.GetProperty("openingHours").ValueKind);
        }

        var put = new
        {
            name = "DevConf 2026",
            timeZone = "Europe/Berlin",
            startsAt = "2026-01-01T08:00:00Z",
            endsAt = "2030-01-01T00:00:00Z",
            reEntryWindow = "00:00:30",
            openingHours = new { session = new[] { new { days = new[] { "mon", "tue" }, open = "09:00", close = "18:30" } }, exit = Array.Empty<object>() },
        };
        try
        {
            using (var saved = await PutAsync(Host, put))
            {
                Assert.Equal(HttpStatusCode.OK, saved.StatusCode);
            }

            using var again = await Host.Admin.GetAsync("/api/v1/event");
            var read = await again.BodyAsync();
            Assert.Equal("DevConf 2026", read.GetProperty("name").GetString());
            Assert.Equal("Europe/Berlin", read.GetProperty("timeZone").GetString());
            Assert.Equal("00:00:30", read.GetProperty("reEntryWindow").GetString());
            Assert.Equal(new DateTimeOffset(2026, 1, 1, 8, 0, 0, TimeSpan.Zero), read.GetProperty("startsAt").GetDateTimeOffset());
            var session = read.GetProperty("openingHours").GetProperty("session")[0];
            Assert.Equal(["mon", "tue"], session.GetProperty("days").EnumerateArray().Select(d => d.GetString()));
            Assert.Equal("18:30", session.GetProperty("close").GetString());
            Assert.Equal(0, read.GetProperty("openingHours").GetProperty("exit").GetArrayLength());
            Assert.Equal(1, await fixture.CountAsync("SELECT count(*) FROM events WHERE id = 1 AND time_zone = 'Europe/Berlin' AND opening_hours ? 'session'"));
        }
        finally
        {
            await ResetAsync(Host);
        }
    }

    [Theory]
    [InlineData("{\"name\":\"X\",\"timeZone\":\"Mars/Olympus\"}", "invalid_timeZone")]
    [InlineData("{\"name\":\"X\",\"openingHours\":{\"window\":[]}}", "invalid_openingHours")]
    [InlineData("{\"name\":\"X\",\"openingHours\":{\"entrance\":[{\"open\":\"9am\",\"close\":\"18:00\"}]}}", "invalid_openingHours")]
    [InlineData("{\"name\":\"X\",\"openingHours\":{\"entrance\":[{\"days\":[\"someday\"],\"open\":\"09:00\",\"close\":\"18:00\"}]}}", "invalid_openingHours")]
    [InlineData("{\"name\":\"X\",\"startsAt\":\"2026-02-01T00:00:00Z\",\"endsAt\":\"2026-01-01T00:00:00Z\"}", "invalid_endsAt")]
    [InlineData("{\"name\":\"X\",\"reEntryWindow\":\"02:00:00\"}", "invalid_reEntryWindow")]
    [InlineData("{\"timeZone\":\"UTC\"}", "invalid_name")]
    public async Task A_put_with_a_bad_field_is_400_naming_it_and_changes_nothing(string body, string code)
    {
        using var response = await Host.Admin.PutAsync("/api/v1/event", new StringContent(body, Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(code, (await response.BodyAsync()).GetProperty("code").GetString());
        using var unauthenticated = await Host.Client.PutAsync("/api/v1/event", new StringContent(body, Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.Unauthorized, unauthenticated.StatusCode);
    }

    [Fact]
    public async Task Check_ins_outside_opening_hours_are_409_event_closed_and_other_kinds_stay_open()
    {
        var entrance = await Host.CreateGateAsync("Hours entrance");
        var session = await Host.CreateGateAsync("Hours session", kind: "session");
        var (token, other) = (ApiFixture.Token(), ApiFixture.Token());
        var ids = await Host.ImportAsync(("Early Bird", token, "active"), ("Session Goer", other, "active"));
        var now = DateTimeOffset.UtcNow;
        try
        {
            using (var put = await PutAsync(Host, ClosedNowForEntrances(now)))
            {
                Assert.Equal(HttpStatusCode.OK, put.StatusCode);
            }

            // The node that saved applies it at once.
            using (var closed = await Host.CheckInAsync(entrance, token))
            {
                Assert.Equal(HttpStatusCode.Conflict, closed.StatusCode);
                Assert.Equal("event_closed", (await closed.BodyAsync()).GetProperty("code").GetString());
            }

            Assert.Equal(0, await fixture.CountAsync("SELECT count(*) FROM attendance_records WHERE participant_id = $1", ids[0]));

            // A kind without opening hours is open; an offline scan from inside the hours keeps its time and is admitted.
            using (var open = await Host.CheckInAsync(session, other))
            {
                Assert.Equal(HttpStatusCode.Created, open.StatusCode);
            }

            using (var backdated = await Host.CheckInAsync(entrance, token, occurredAt: now.AddHours(-2)))
            {
                Assert.Equal(HttpStatusCode.Created, backdated.StatusCode);
            }
        }
        finally
        {
            await ResetAsync(Host);
        }

        // Without opening hours, as before.
        using var reopened = await Host.CheckInAsync(entrance, ApiFixture.Token());
        Assert.Equal(HttpStatusCode.NotFound, reopened.StatusCode);
    }

    [Fact]
    public async Task A_put_on_one_node_closes_check_ins_on_the_other_promptly()
    {
        await using var other = await fixture.StartAnotherNodeAsync();
        var entrance = await Host.CreateGateAsync("Two-node entrance");
        var tokens = Enumerable.Range(0, 200).Select(_ => ApiFixture.Token()).ToArray();
        await Host.ImportAsync([.. tokens.Select((t, i) => ($"Two Node {i}", t, "active"))]);

        // The other node has read (and cached) the open configuration.
        using (var warm = await other.CheckInAsync(entrance, tokens[0]))
        {
            Assert.Equal(HttpStatusCode.Created, warm.StatusCode);
        }

        try
        {
            using (var put = await PutAsync(Host, ClosedNowForEntrances(DateTimeOffset.UtcNow)))
            {
                Assert.Equal(HttpStatusCode.OK, put.StatusCode);
            }

            var next = 1;
            await Eventually.TrueAsync(
                async () =>
                {
                    using var response = await other.CheckInAsync(entrance, tokens[Math.Min(next++, tokens.Length - 1)]);
                    return response.StatusCode == HttpStatusCode.Conflict && (await response.BodyAsync()).GetProperty("code").GetString() == "event_closed";
                },
                "the other node refuses check-ins as event_closed",
                TimeSpan.FromSeconds(20));
        }
        finally
        {
            await ResetAsync(Host);
        }

        await Eventually.TrueAsync(
            async () =>
            {
                using var response = await other.CheckInAsync(entrance, ApiFixture.Token());
                return response.StatusCode == HttpStatusCode.NotFound;
            },
            "the other node opens again",
            TimeSpan.FromSeconds(20));
    }

    private static async Task ResetAsync(ApiHost host)
    {
        using var reset = await PutAsync(host, new { name = "Reset" });
        Assert.Equal(HttpStatusCode.OK, reset.StatusCode);
    }
}
