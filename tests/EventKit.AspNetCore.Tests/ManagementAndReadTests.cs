using System.Net;
using System.Net.Http.Json;
using System.Text;

namespace EventKit.AspNetCore.Tests;

public sealed class ManagementAndReadTests(ApiFixture fixture) : IClassFixture<ApiFixture>
{
    private ApiHost Host => fixture.Host;

    [Theory]
    [InlineData("GET", "/api/v1/participants/1")]
    [InlineData("GET", "/api/v1/attendance")]
    [InlineData("GET", "/api/v1/stats/gates")]
    [InlineData("POST", "/api/v1/gates")]
    public async Task Admin_endpoints_need_the_admin_key(string method, string path)
    {
        using var request = new HttpRequestMessage(new HttpMethod(method), path) { Content = JsonContent.Create(new { name = "x" }) };
        using var without = await Host.Client.SendAsync(request);
        Assert.Equal(HttpStatusCode.Unauthorized, without.StatusCode);

        using var wrong = new HttpRequestMessage(new HttpMethod(method), path) { Content = JsonContent.Create(new { name = "x" }) };
        wrong.Headers.Add("X-Admin-Key", "not-the-key-at-all-000");
        using var refused = await Host.Client.SendAsync(wrong);
        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        Assert.Equal("admin_key_required", (await refused.BodyAsync()).GetProperty("code").GetString());
    }

    [Fact]
    public async Task Health_live_is_open_and_ready_reports_checks()
    {
        using var live = await Host.Client.GetAsync("/health/live");
        Assert.Equal(HttpStatusCode.OK, live.StatusCode);
        using var ready = await Host.Admin.GetAsync("/health/ready");
        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
        var body = await ready.BodyAsync();
        Assert.Equal("healthy", body.GetProperty("status").GetString());
        Assert.Equal("healthy", body.GetProperty("checks").GetProperty("postgresql").GetProperty("status").GetString());
        Assert.Equal("healthy", body.GetProperty("checks").GetProperty("redis").GetProperty("status").GetString());
    }

    [Fact]
    public async Task Import_with_a_duplicate_credential_is_400_naming_the_index_and_stores_nothing()
    {
        var before = await fixture.CountAsync("SELECT count(*) FROM participants");
        var shared = ApiFixture.Token();
        var items = new[]
        {
            new { name = "One", credential = ApiFixture.Token() },
            new { name = "Two", credential = shared },
            new { name = "Three", credential = shared },
        };
        using var response = await Host.Admin.PostAsJsonAsync("/api/v1/participants", items);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var body = await response.BodyAsync();
        Assert.Equal(2, body.GetProperty("index").GetInt32());
        Assert.Equal("credential", body.GetProperty("field").GetString());
        Assert.Equal(before, await fixture.CountAsync("SELECT count(*) FROM participants"));
    }

    [Fact]
    public async Task Import_with_a_bad_item_is_400_naming_it()
    {
        var items = new object[] { new { name = "Fine", credential = ApiFixture.Token() }, new { name = "", credential = ApiFixture.Token() } };
        using var response = await Host.Admin.PostAsJsonAsync("/api/v1/participants", items);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var body = await response.BodyAsync();
        Assert.Equal(1, body.GetProperty("index").GetInt32());
        Assert.Equal("invalid_name", body.GetProperty("code").GetString());
    }

    [Fact]
    public async Task Participant_reads_carry_attendance_summaries()
    {
        var gate = await Host.CreateGateAsync();
        var token = ApiFixture.Token();
        var ids = await Host.ImportAsync(("Summary Person", token, "active"), ("Never Came", ApiFixture.Token(), "active"));
        using (await Host.CheckInAsync(gate, token))
        {
        }

        using var one = await Host.Admin.GetAsync($"/api/v1/participants/{ids[0]}");
        var body = await one.BodyAsync();
        Assert.Equal("Summary Person", body.GetProperty("name").GetString());
        Assert.Equal(1, body.GetProperty("attendance").GetProperty("count").GetInt64());

        using var many = await Host.Admin.GetAsync($"/api/v1/participants?ids={ids[0]},{ids[1]},999999");
        var list = (await many.BodyAsync()).EnumerateArray().ToDictionary(e => e.GetProperty("id").GetInt64(), e => e.GetProperty("attendance").GetProperty("count").GetInt64());
        Assert.Equal(2, list.Count);
        Assert.Equal(1, list[ids[0]]);
        Assert.Equal(0, list[ids[1]]);

        using var missing = await Host.Admin.GetAsync("/api/v1/participants/999999");
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);

        using var badIds = await Host.Admin.GetAsync("/api/v1/participants?ids=1,abc");
        Assert.Equal(HttpStatusCode.BadRequest, badIds.StatusCode);
        Assert.Equal("invalid_ids", (await badIds.BodyAsync()).GetProperty("code").GetString());
    }

    [Fact]
    public async Task Attendance_pages_with_an_opaque_cursor_newest_first()
    {
        var gate = await Host.CreateGateAsync();
        var tokens = Enumerable.Range(0, 5).Select(_ => ApiFixture.Token()).ToArray();
        await Host.ImportAsync(tokens.Select((t, i) => ($"Pager {i}", t, "active")).ToArray());
        var start = DateTimeOffset.UtcNow.AddMinutes(-10);
        for (var i = 0; i < tokens.Length; i++)
        {
            using (await Host.CheckInAsync(gate, tokens[i], occurredAt: start.AddSeconds(i)))
            {
            }
        }

        var seen = new List<DateTimeOffset>();
        string? cursor = null;
        do
        {
            var url = $"/api/v1/attendance?gateId={gate}&limit=2" + (cursor is null ? "" : "&after=" + Uri.EscapeDataString(cursor));
            using var page = await Host.Admin.GetAsync(url);
            Assert.Equal(HttpStatusCode.OK, page.StatusCode);
            var body = await page.BodyAsync();
            seen.AddRange(body.GetProperty("items").EnumerateArray().Select(e => e.GetProperty("occurredAt").GetDateTimeOffset()));
            cursor = body.TryGetProperty("nextCursor", out var next) && next.ValueKind == System.Text.Json.JsonValueKind.String ? next.GetString() : null;
        }
        while (cursor is not null);

        Assert.Equal(5, seen.Count);
        Assert.Equal(seen.OrderByDescending(t => t), seen);

        using var bad = await Host.Admin.GetAsync("/api/v1/attendance?after=bogus");
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        using var tooMany = await Host.Admin.GetAsync("/api/v1/attendance?limit=1001");
        Assert.Equal(HttpStatusCode.BadRequest, tooMany.StatusCode);

        using var stats = await Host.Admin.GetAsync($"/api/v1/stats/gates?since={Uri.EscapeDataString(start.AddSeconds(-1).ToString("O"))}");
        var counts = (await stats.BodyAsync()).EnumerateArray().ToDictionary(e => e.GetProperty("gateId").GetInt64(), e => e.GetProperty("count").GetInt64());
        Assert.Equal(5, counts[gate]);
    }

    [Fact]
    public async Task Search_finds_participants_by_name_prefix()
    {
        var unique = "Zyx" + Guid.NewGuid().ToString("N")[..6];
        await Host.ImportAsync(($"{unique} Kim", ApiFixture.Token(), "active"), ($"Other {unique}son", ApiFixture.Token(), "active"));
        using var response = await Host.Admin.GetAsync($"/api/v1/participants/search?q={unique}&limit=10");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var names = (await response.BodyAsync()).GetProperty("items").EnumerateArray().Select(e => e.GetProperty("name").GetString()).ToList();
        Assert.Contains($"{unique} Kim", names);
    }

    [Fact]
    public async Task Ble_key_provisioning_returns_a_fresh_key_each_time()
    {
        var id = (await Host.ImportAsync(("Phone Owner", ApiFixture.Token(), "active")))[0];
        using var first = await Host.Admin.PostAsync($"/api/v1/participants/{id}/ble-key", null);
        using var second = await Host.Admin.PostAsync($"/api/v1/participants/{id}/ble-key", null);
        var a = await first.BodyAsync();
        var b = await second.BodyAsync();
        Assert.Matches("^[0-9a-f]{32}$", a.GetProperty("identityKey").GetString());
        Assert.NotEqual(a.GetProperty("identityKey").GetString(), b.GetProperty("identityKey").GetString());
        Assert.Equal(10, a.GetProperty("rotationExponent").GetInt32());

        using var missing = await Host.Admin.PostAsync("/api/v1/participants/999999/ble-key", null);
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
    }

    [Fact]
    public async Task Gate_creation_validates_its_fields()
    {
        using var response = await Host.Admin.PostAsync("/api/v1/gates", new StringContent("{\"name\":\"X\",\"kind\":\"window\"}", Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("invalid_kind", (await response.BodyAsync()).GetProperty("code").GetString());
    }
}
