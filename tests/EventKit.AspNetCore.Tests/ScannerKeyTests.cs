using System.Net;
using System.Net.Http.Json;
using System.Text;
using EventKit.Testing;

namespace EventKit.AspNetCore.Tests;

/// <summary>Scanner keys: issued once and stored hashed, required for check-ins, scoped to gates, rotated and revoked.</summary>
public sealed class ScannerKeyTests(ApiFixture fixture) : IClassFixture<ApiFixture>
{
    private ApiHost Host => fixture.Host;

    private static JsonContent CheckIn(long gateId, string credential) => JsonContent.Create(new { gateId, credential, method = "qr" });

    [Fact]
    public async Task Creating_a_scanner_returns_its_key_once_stored_hashed_and_not_cacheable()
    {
        var gate = await Host.CreateGateAsync("Hashed");
        using var response = await Host.Admin.PostAsJsonAsync("/api/v1/scanners", new { name = "Front desk", gateIds = new[] { gate } });

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.True(response.Headers.CacheControl?.NoStore);
        var body = await response.BodyAsync();
        var id = body.GetProperty("id").GetInt64();
        var key = body.GetProperty("apiKey").GetString()!;
        Assert.StartsWith($"eks_{id}_", key, StringComparison.Ordinal);
        Assert.Equal(gate, Assert.Single(body.GetProperty("gateIds").EnumerateArray()).GetInt64());
        Assert.Equal(1, await fixture.CountAsync("SELECT count(*) FROM scanners WHERE id = $1 AND api_key_hash = $2 AND api_key_hash <> sha256(convert_to($3, 'UTF8'))", id, ApiHost.Hasher.Compute(key).ToArray(), key));
        Assert.Equal(0, await fixture.CountAsync("SELECT count(*) FROM scanners WHERE encode(api_key_hash, 'escape') LIKE '%' || $1 || '%'", key[^20..]));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("not-a-key")]
    [InlineData("eks_1_short")]
    [InlineData("eks_999999_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")]
    public async Task Check_ins_without_a_valid_key_are_401_and_write_nothing(string? key)
    {
        var gate = await Host.CreateGateAsync("Locked");
        var token = ApiFixture.Token();
        await Host.ImportAsync(("Locked out", token, "active"));
        var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/checkins") { Content = CheckIn(gate, token) };
        if (key is not null)
        {
            request.Headers.Add("X-Scanner-Key", key);
        }

        using var response = await Host.Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("scanner_key_required", (await response.BodyAsync()).GetProperty("code").GetString());
        Assert.Equal(0, await fixture.CountAsync("SELECT count(*) FROM attendance_records WHERE gate_id = $1", gate));
    }

    [Fact]
    public async Task A_key_is_only_good_at_its_gates_and_only_for_json()
    {
        var allowed = await Host.CreateGateAsync("Allowed");
        var other = await Host.CreateGateAsync("Other");
        var key = await Host.CreateScannerAsync(allowed);
        var token = ApiFixture.Token();
        await Host.ImportAsync(("Scoped", token, "active"));

        using (var elsewhere = await Host.PostCheckInAsync(CheckIn(other, token), key))
        {
            Assert.Equal(HttpStatusCode.Forbidden, elsewhere.StatusCode);
            Assert.Equal("gate_not_allowed", (await elsewhere.BodyAsync()).GetProperty("code").GetString());
        }

        foreach (var type in new[] { "text/plain", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x" })
        {
            using var content = new StringContent($"{{\"gateId\":{allowed},\"credential\":\"{token}\",\"method\":\"qr\"}}", Encoding.UTF8);
            content.Headers.ContentType = System.Net.Http.Headers.MediaTypeHeaderValue.Parse(type);
            using var crossSite = await Host.PostCheckInAsync(content, key);
            Assert.Equal(HttpStatusCode.UnsupportedMediaType, crossSite.StatusCode);
        }

        Assert.Equal(0, await fixture.CountAsync("SELECT count(*) FROM attendance_records WHERE gate_id = ANY($1)", new[] { allowed, other }));
        using var admitted = await Host.PostCheckInAsync(CheckIn(allowed, token), key);
        Assert.Equal(HttpStatusCode.Created, admitted.StatusCode);
    }

    [Fact]
    public async Task Rotating_replaces_the_key_and_revoking_refuses_it()
    {
        var gate = await Host.CreateGateAsync("Rotated");
        using var created = await Host.Admin.PostAsJsonAsync("/api/v1/scanners", new { name = "Rotating", gateIds = new[] { gate } });
        var body = await created.BodyAsync();
        var id = body.GetProperty("id").GetInt64();
        var oldKey = body.GetProperty("apiKey").GetString()!;
        using (var warm = await Host.PostCheckInAsync(CheckIn(gate, ApiFixture.Token()), oldKey))
        {
            Assert.Equal(HttpStatusCode.NotFound, warm.StatusCode);
        }

        using var rotated = await Host.Admin.PostAsync($"/api/v1/scanners/{id}/rotate-key", null);
        Assert.Equal(HttpStatusCode.OK, rotated.StatusCode);
        Assert.True(rotated.Headers.CacheControl?.NoStore);
        var newKey = (await rotated.BodyAsync()).GetProperty("apiKey").GetString()!;
        Assert.NotEqual(oldKey, newKey);

        using (var old = await Host.PostCheckInAsync(CheckIn(gate, ApiFixture.Token()), oldKey))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, old.StatusCode);
        }

        using (var fresh = await Host.PostCheckInAsync(CheckIn(gate, ApiFixture.Token()), newKey))
        {
            Assert.Equal(HttpStatusCode.NotFound, fresh.StatusCode);
        }

        using (var revoke = await Host.Admin.DeleteAsync($"/api/v1/scanners/{id}"))
        {
            Assert.Equal(HttpStatusCode.NoContent, revoke.StatusCode);
        }

        using (var revoked = await Host.PostCheckInAsync(CheckIn(gate, ApiFixture.Token()), newKey))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, revoked.StatusCode);
        }

        using var again = await Host.Admin.DeleteAsync($"/api/v1/scanners/{id}");
        Assert.Equal(HttpStatusCode.NotFound, again.StatusCode);
        using var rotateRevoked = await Host.Admin.PostAsync($"/api/v1/scanners/{id}/rotate-key", null);
        Assert.Equal(HttpStatusCode.NotFound, rotateRevoked.StatusCode);
    }

    [Fact]
    public async Task A_key_revoked_on_one_node_is_refused_on_the_other_within_30_s()
    {
        await using var other = await fixture.StartAnotherNodeAsync();
        var gate = await Host.CreateGateAsync("Two nodes");
        using var created = await Host.Admin.PostAsJsonAsync("/api/v1/scanners", new { name = "Roaming", gateIds = new[] { gate } });
        var body = await created.BodyAsync();
        var id = body.GetProperty("id").GetInt64();
        var key = body.GetProperty("apiKey").GetString()!;
        using (var cached = await other.PostCheckInAsync(CheckIn(gate, ApiFixture.Token()), key))
        {
            Assert.Equal(HttpStatusCode.NotFound, cached.StatusCode); // authenticated (unknown credential): the other node knows the key now
        }

        using (var revoke = await Host.Admin.DeleteAsync($"/api/v1/scanners/{id}"))
        {
            Assert.Equal(HttpStatusCode.NoContent, revoke.StatusCode);
        }

        await Eventually.TrueAsync(
            async () =>
            {
                using var response = await other.PostCheckInAsync(CheckIn(gate, ApiFixture.Token()), key);
                return response.StatusCode == HttpStatusCode.Unauthorized;
            },
            "the revoked key is refused by the other node",
            TimeSpan.FromSeconds(30));
    }

    [Fact]
    public async Task Scanner_input_is_validated()
    {
        var gate = await Host.CreateGateAsync("Validated");
        using (var noGates = await Host.Admin.PostAsJsonAsync("/api/v1/scanners", new { name = "x", gateIds = Array.Empty<long>() }))
        {
            Assert.Equal("invalid_gateIds", (await noGates.BodyAsync()).GetProperty("code").GetString());
        }

        using (var unknownGate = await Host.Admin.PostAsJsonAsync("/api/v1/scanners", new { name = "x", gateIds = new[] { gate, 987_654 } }))
        {
            Assert.Equal(HttpStatusCode.NotFound, unknownGate.StatusCode);
        }

        using (var control = await Host.Admin.PostAsJsonAsync("/api/v1/scanners", new { name = "a\0b", gateIds = new[] { gate } }))
        {
            Assert.Equal("invalid_name", (await control.BodyAsync()).GetProperty("code").GetString());
        }

        using var anonymous = await Host.Client.PostAsJsonAsync("/api/v1/scanners", new { name = "x", gateIds = new[] { gate } });
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
    }

    [Fact]
    public async Task An_address_that_fails_too_often_gets_429_before_any_lookup()
    {
        await using var host = await ApiHost.StartAsync(fixture.Postgres.ConnectionString, fixture.Redis.Configuration, fixture.Redis.KeyPrefix, o => o.FailedAuthenticationsPerMinute = 3);
        var gate = await host.CreateGateAsync("Guessed");
        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 5; i++)
        {
            using var response = await host.PostCheckInAsync(CheckIn(gate, "x"), $"eks_{i + 1}_" + new string('A', 43));
            statuses.Add(response.StatusCode);
        }

        Assert.Equal([HttpStatusCode.Unauthorized, HttpStatusCode.Unauthorized, HttpStatusCode.Unauthorized, HttpStatusCode.TooManyRequests, HttpStatusCode.TooManyRequests], statuses);

        // Even the right key is refused from that address until the window passes.
        using var valid = await host.CheckInAsync(gate, "x");
        Assert.Equal(HttpStatusCode.TooManyRequests, valid.StatusCode);
    }

    [Fact]
    public async Task Turning_scanner_keys_off_outside_development_needs_confirmation()
    {
        var error = await Assert.ThrowsAnyAsync<Exception>(() => ApiHost.StartAsync(fixture.Postgres.ConnectionString, fixture.Redis.Configuration, fixture.Redis.KeyPrefix, o => o.RequireScannerKeys = false));
        Assert.Contains("EventKit:Api:RequireScannerKeys", error.Message, StringComparison.Ordinal);

        await using var confirmed = await ApiHost.StartAsync(fixture.Postgres.ConnectionString, fixture.Redis.Configuration, fixture.Redis.KeyPrefix, o =>
        {
            o.RequireScannerKeys = false;
            o.ConfirmUnauthenticatedCheckIns = true;
        });
        var gate = await confirmed.CreateGateAsync("Trusted network");
        using var open = await confirmed.Client.PostAsync("/api/v1/checkins", CheckIn(gate, ApiFixture.Token()));
        Assert.Equal(HttpStatusCode.NotFound, open.StatusCode);
    }

    [Theory]
    [InlineData("eks_12_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", 12L)]
    [InlineData("eks_0_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", null)]
    [InlineData("eks_12_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", null)]
    [InlineData("eks_12_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=", null)]
    [InlineData("eks_-1_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", null)]
    [InlineData("EKS_12_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", null)]
    [InlineData("eks_99999999999999999999_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", null)]
    public void Keys_not_in_the_issued_format_are_recognised_without_a_lookup(string key, long? id)
    {
        Assert.Equal(id is not null, ScannerKey.TryGetScannerId(key, out var parsed));
        Assert.Equal(id ?? 0, parsed);
        Assert.True(ScannerKey.TryGetScannerId(ScannerKey.Create(77), out var created) && created == 77);
    }
}
