using System.Net;
using System.Net.Http.Json;
using System.Text;

namespace EventKit.AspNetCore.Tests;

/// <summary>Input that used to reach PostgreSQL or throw outside a handler (500s) is refused with a 4xx naming the field.</summary>
public sealed class BadInputTests(ApiFixture fixture) : IClassFixture<ApiFixture>
{
    private ApiHost Host => fixture.Host;

    public static TheoryData<string> BadText => new()
    {
        "bad\0name",
        "bad\u0001name",
        "tab\tname",
        "line\nbreak",
        "del\u007Fchar",
        "c1\u0085char",
    };

    private static StringContent RawJson(string json) => new(json, Encoding.UTF8, "application/json");

    [Theory]
    [MemberData(nameof(BadText))]
    public async Task Control_characters_in_a_gate_name_are_400_naming_the_field(string name)
    {
        var before = await fixture.CountAsync("SELECT count(*) FROM gates");
        using var response = await Host.Admin.PostAsJsonAsync("/api/v1/gates", new { name });

        await AssertInvalidFieldAsync(response, "name");
        Assert.Equal(before, await fixture.CountAsync("SELECT count(*) FROM gates"));
    }

    [Theory]
    [MemberData(nameof(BadText))]
    public async Task Control_characters_in_a_gateway_name_are_400_naming_the_field(string name)
    {
        var gate = await Host.CreateGateAsync("Gateway door");
        var before = await fixture.CountAsync("SELECT count(*) FROM gateways");
        using var response = await Host.Admin.PostAsJsonAsync("/api/v1/gateways", new { name, gateId = gate });

        await AssertInvalidFieldAsync(response, "name");
        Assert.Equal(before, await fixture.CountAsync("SELECT count(*) FROM gateways"));
    }

    [Theory]
    [InlineData("name")]
    [InlineData("email")]
    [InlineData("externalRef")]
    public async Task Control_characters_in_participant_fields_are_400_naming_the_field(string field)
    {
        foreach (var bad in BadText)
        {
            var item = new Dictionary<string, object?>
            {
                ["name"] = "Valid Name",
                ["credential"] = ApiFixture.Token(),
                ["email"] = "valid@example.org",
                ["externalRef"] = "ext-1",
            };
            item[field] = bad;
            var before = await fixture.CountAsync("SELECT count(*) FROM participants");
            using var response = await Host.Admin.PostAsJsonAsync("/api/v1/participants", new[] { new Dictionary<string, object?> { ["name"] = "Fine", ["credential"] = ApiFixture.Token() }, item });

            var body = await AssertInvalidFieldAsync(response, field);
            Assert.Equal(1, body.GetProperty("index").GetInt32());
            Assert.Equal(before, await fixture.CountAsync("SELECT count(*) FROM participants"));
        }
    }

    [Theory]
    [InlineData("{\"name\":\"a\\u0000b\"}")]
    [InlineData("{\"name\":\"a\\ud800b\"}")]
    public async Task Escaped_nul_and_lone_surrogates_in_raw_json_are_400(string json)
    {
        using var response = await Host.Admin.PostAsync("/api/v1/gates", RawJson(json));

        await AssertInvalidFieldAsync(response, "name");
    }

    [Theory]
    [InlineData("bad\0name")]
    [InlineData("bad\u0001name")]
    [InlineData("c1\u0085char")]
    public async Task Control_characters_in_a_search_query_are_400_naming_q(string q)
    {
        using var response = await Host.Admin.GetAsync("/api/v1/participants/search?q=" + Uri.EscapeDataString(q));

        await AssertInvalidFieldAsync(response, "q");
    }

    [Fact]
    public async Task Reactivating_a_participant_whose_credential_another_active_participant_holds_is_409()
    {
        var token = ApiFixture.Token();
        var ids = await Host.ImportAsync(("Old Holder", token, "suspended"), ("New Holder", token, "active"));

        using var response = await Host.Admin.PatchAsJsonAsync($"/api/v1/participants/{ids[0]}", new { status = "active" });

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        var body = await response.BodyAsync();
        Assert.Equal("credential_taken", body.GetProperty("code").GetString());
        Assert.Equal("status", body.GetProperty("field").GetString());
        Assert.Equal(1, await fixture.CountAsync("SELECT count(*) FROM participants WHERE id = $1 AND status = 'suspended'", ids[0]));
    }

    [Fact]
    public async Task Patch_with_credential_and_status_is_all_or_nothing()
    {
        var taken = ApiFixture.Token();
        var own = ApiFixture.Token();
        var ids = await Host.ImportAsync(("Holder", taken, "active"), ("Patched", own, "suspended"));
        var hashBefore = await fixture.CountAsync("SELECT count(*) FROM participants WHERE id = $1 AND token_hash = $2", ids[1], ApiHost.Hasher.Compute(own).ToArray());
        Assert.Equal(1, hashBefore);

        // The credential alone could be stored (the participant is suspended), but with status active it conflicts: nothing changes.
        using (var conflict = await Host.Admin.PatchAsJsonAsync($"/api/v1/participants/{ids[1]}", new { credential = taken, status = "active" }))
        {
            Assert.Equal(HttpStatusCode.Conflict, conflict.StatusCode);
        }

        Assert.Equal(1, await fixture.CountAsync("SELECT count(*) FROM participants WHERE id = $1 AND token_hash = $2 AND status = 'suspended'", ids[1], ApiHost.Hasher.Compute(own).ToArray()));

        // An invalid status with a valid credential changes nothing either.
        var fresh = ApiFixture.Token();
        using (var invalid = await Host.Admin.PatchAsJsonAsync($"/api/v1/participants/{ids[1]}", new { credential = fresh, status = "bogus" }))
        {
            Assert.Equal(HttpStatusCode.BadRequest, invalid.StatusCode);
        }

        // Both valid: both applied.
        using (var ok = await Host.Admin.PatchAsJsonAsync($"/api/v1/participants/{ids[1]}", new { credential = fresh, status = "active" }))
        {
            Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
        }

        Assert.Equal(1, await fixture.CountAsync("SELECT count(*) FROM participants WHERE id = $1 AND token_hash = $2 AND status = 'active'", ids[1], ApiHost.Hasher.Compute(fresh).ToArray()));
        var gate = await Host.CreateGateAsync("Patched gate");
        using var checkIn = await Host.CheckInAsync(gate, fresh);
        Assert.Equal(HttpStatusCode.Created, checkIn.StatusCode);
    }

    [Fact]
    public async Task Responses_carrying_keys_are_not_storable()
    {
        var gate = await Host.CreateGateAsync("No-store door");
        using (var gateway = await Host.Admin.PostAsJsonAsync("/api/v1/gateways", new { name = "gw", gateId = gate }))
        {
            Assert.Equal(HttpStatusCode.Created, gateway.StatusCode);
            Assert.True(gateway.Headers.CacheControl?.NoStore, "gateway key response lacks Cache-Control: no-store");
        }

        var ids = await Host.ImportAsync(("Key Holder", ApiFixture.Token(), "active"));
        using var identity = await Host.Admin.PostAsync($"/api/v1/participants/{ids[0]}/ble-key", null);
        Assert.Equal(HttpStatusCode.OK, identity.StatusCode);
        Assert.True(identity.Headers.CacheControl?.NoStore, "identity key response lacks Cache-Control: no-store");
    }

    [Fact]
    public async Task Import_with_too_many_items_is_refused_by_count_before_any_item_is_deserialised()
    {
        // Item 3 has a wrong type; counting while streaming refuses the body for its size first.
        var items = new StringBuilder("[");
        for (var i = 0; i <= 10_000; i++)
        {
            items.Append(i == 0 ? "" : ",").Append(i == 3 ? "{\"name\":5}" : "{\"name\":\"n\",\"credential\":\"c\"}");
        }

        using var response = await Host.Admin.PostAsync("/api/v1/participants", RawJson(items.Append(']').ToString()));

        await AssertInvalidFieldAsync(response, "items");
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    public async Task Provisioning_a_ble_key_for_a_non_positive_id_is_404(long id)
    {
        using var response = await Host.Admin.PostAsync($"/api/v1/participants/{id}/ble-key", null);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task Management_bodies_have_their_own_limit_above_the_check_in_limit()
    {
        // 20 KiB: over the 16 KiB check-in limit, under the 64 KiB management limit, so it is read (and refused for its content).
        var padded = "{\"name\":\"Padded\",\"pad\":\"" + new string('p', 20 * 1024) + "\"}";
        var before = await fixture.CountAsync("SELECT count(*) FROM gates");
        using (var response = await Host.Admin.PostAsync("/api/v1/gates", RawJson(padded)))
        {
            Assert.NotEqual(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
            Assert.True((int)response.StatusCode < 500, $"{(int)response.StatusCode}");
        }

        var huge = "{\"name\":\"Huge\",\"pad\":\"" + new string('p', 65 * 1024) + "\"}";
        using (var response = await Host.Admin.PostAsync("/api/v1/gates", RawJson(huge)))
        {
            Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
            Assert.Equal("body_too_large", (await response.BodyAsync()).GetProperty("code").GetString());
        }

        Assert.True(await fixture.CountAsync("SELECT count(*) FROM gates") <= before + 1);
        Assert.Equal(0, await fixture.CountAsync("SELECT count(*) FROM gates WHERE name = 'Huge'"));
    }

    [Theory]
    [InlineData("/api/v1/gates?after=not-a-cursor")]
    [InlineData("/api/v1/gateways?after=AAAA")]
    [InlineData("/api/v1/attendance?after=%2F%2F%2F")]
    [InlineData("/api/v1/audit?after=x")]
    public async Task A_cursor_this_listing_did_not_issue_is_400_invalid_after(string path)
    {
        using var response = await Host.Admin.GetAsync(path);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("invalid_after", (await response.BodyAsync()).GetProperty("code").GetString());
    }

    [Fact]
    public async Task A_gateway_or_scanner_for_a_gate_that_does_not_exist_is_404_unknown_gate_and_creates_nothing()
    {
        var gateways = await fixture.CountAsync("SELECT count(*) FROM gateways");
        var scanners = await fixture.CountAsync("SELECT count(*) FROM scanners");
        using (var response = await Host.Admin.PostAsJsonAsync("/api/v1/gateways", new { name = "Nowhere", gateId = 987_654_321L }))
        {
            Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
            Assert.Equal("unknown_gate", (await response.BodyAsync()).GetProperty("code").GetString());
        }

        using (var response = await Host.Admin.PostAsJsonAsync("/api/v1/scanners", new { name = "Nowhere", gateIds = new[] { 987_654_321L } }))
        {
            Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
            Assert.Equal("unknown_gate", (await response.BodyAsync()).GetProperty("code").GetString());
        }

        Assert.Equal(gateways, await fixture.CountAsync("SELECT count(*) FROM gateways"));
        Assert.Equal(scanners, await fixture.CountAsync("SELECT count(*) FROM scanners"));
    }

    private static async Task<System.Text.Json.JsonElement> AssertInvalidFieldAsync(HttpResponseMessage response, string field)
    {
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var body = await response.BodyAsync();
        Assert.Equal(field, body.GetProperty("field").GetString());
        Assert.Equal("invalid_" + field, body.GetProperty("code").GetString());
        return body;
    }
}
