using System.Net;

namespace EventKit.AspNetCore.Tests;

/// <summary>GET /api/v1/participants/search: attendance counts and e-mail addresses (the bugs a new integrator hit).</summary>
public sealed class ParticipantSearchTests(ApiFixture fixture) : IClassFixture<ApiFixture>
{
    private ApiHost Host => fixture.Host;

    [Fact]
    public async Task Search_results_carry_the_participants_attendance_summary()
    {
        var unique = "Qxz" + Guid.NewGuid().ToString("N")[..6];
        var (token, other) = (ApiFixture.Token(), ApiFixture.Token());
        var ids = await Host.ImportAsync(($"{unique} Attender", token, "active"), ($"{unique} Absent", other, "active"));
        var (gateA, gateB) = (await Host.CreateGateAsync(), await Host.CreateGateAsync());
        using (var first = await Host.CheckInAsync(gateA, token))
        using (var second = await Host.CheckInAsync(gateB, token))
        {
            Assert.Equal(HttpStatusCode.Created, first.StatusCode);
            Assert.Equal(HttpStatusCode.Created, second.StatusCode);
        }

        using var response = await Host.Admin.GetAsync($"/api/v1/participants/search?q={unique}");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var items = (await response.BodyAsync()).GetProperty("items").EnumerateArray().ToDictionary(e => e.GetProperty("id").GetInt64());
        Assert.Equal(2, items[ids[0]].GetProperty("attendance").GetProperty("count").GetInt64());
        Assert.NotEqual(System.Text.Json.JsonValueKind.Null, items[ids[0]].GetProperty("attendance").GetProperty("last").ValueKind);
        Assert.Equal(0, items[ids[1]].GetProperty("attendance").GetProperty("count").GetInt64());
    }

    [Fact]
    public async Task Search_finds_participants_by_e_mail_address_and_its_domain()
    {
        // ApiHost.ImportAsync gives "{name}@example.org"; a unique name makes a unique local part.
        var unique = "Mailer" + Guid.NewGuid().ToString("N")[..8];
        var id = (await Host.ImportAsync((unique, ApiFixture.Token(), "active")))[0];
        var email = unique.ToLowerInvariant() + "@example.org";

        foreach (var q in new[] { email, unique.ToLowerInvariant(), "example" })
        {
            using var response = await Host.Admin.GetAsync($"/api/v1/participants/search?q={Uri.EscapeDataString(q)}&limit=1000");
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            var found = (await response.BodyAsync()).GetProperty("items").EnumerateArray().Select(e => e.GetProperty("id").GetInt64());
            Assert.Contains(id, found);
        }
    }
}
