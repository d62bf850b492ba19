using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using EventKit.Testing;
using Microsoft.Extensions.Logging;

namespace EventKit.AspNetCore.Tests;

/// <summary>Secrets at rest: peppered credential hashes, re-hashing of older rows on first use, pepper rotation, token strength.</summary>
public sealed class CredentialPepperTests(ApiFixture fixture) : IClassFixture<ApiFixture>
{
    private ApiHost Host => fixture.Host;

    private static byte[] Sha256(string text) => SHA256.HashData(Encoding.UTF8.GetBytes(text));

    private async Task<long> RedisKeysContainingAsync(string text)
    {
        var server = fixture.Redis.Connection.GetServers()[0];
        var count = 0L;
        await foreach (var _ in server.KeysAsync(pattern: fixture.Redis.KeyPrefix + "*" + text + "*"))
        {
            count++;
        }

        return count;
    }

    [Fact]
    public async Task Stored_hashes_are_hmac_under_the_pepper_with_its_version_never_plain_sha256()
    {
        var gate = await Host.CreateGateAsync("Peppered");
        var token = ApiFixture.Token();
        var id = (await Host.ImportAsync(("Pepe Pepper", token, "active")))[0];
        using (var admitted = await Host.CheckInAsync(gate, token))
        {
            Assert.Equal(HttpStatusCode.Created, admitted.StatusCode);
        }

        var version = CredentialHasher.VersionOf(ApiHost.Pepper);
        Assert.True(version > 0);
        Assert.Equal(1, await fixture.CountAsync("SELECT count(*) FROM participants WHERE id = $1 AND token_hash = $2 AND hash_version = $3", id, ApiHost.Hasher.Compute(token).ToArray(), version));
        Assert.Equal(0, await fixture.CountAsync("SELECT count(*) FROM participants WHERE token_hash = $1", Sha256(token)));
        var scannerKey = Host.ScannerKeys[gate];
        Assert.Equal(1, await fixture.CountAsync("SELECT count(*) FROM scanners WHERE api_key_hash = $1 AND hash_version = $2", ApiHost.Hasher.Compute(scannerKey).ToArray(), version));

        // The cache's key names carry the peppered hash only (an unknown token is cached as "not found" in Redis too).
        var unknown = ApiFixture.Token();
        using (var notFound = await Host.CheckInAsync(gate, unknown))
        {
            Assert.Equal(HttpStatusCode.NotFound, notFound.StatusCode);
        }

        Assert.True(await RedisKeysContainingAsync(Convert.ToHexStringLower(ApiHost.Hasher.Compute(unknown).ToArray())) > 0);
        Assert.Equal(0, await RedisKeysContainingAsync(Convert.ToHexStringLower(Sha256(unknown))));
        Assert.Equal(0, await RedisKeysContainingAsync(Convert.ToHexStringLower(Sha256(token))));
    }

    [Fact]
    public async Task Rows_hashed_before_the_pepper_are_admitted_once_and_rehashed_in_place()
    {
        // Rows as an EventKit without a pepper stored them (plain SHA-256, hash_version 0).
        var gate = await Host.CreateGateAsync("Legacy door");
        var token = ApiFixture.Token();
        var scannerId = await fixture.CountAsync("SELECT nextval(pg_get_serial_sequence('scanners', 'id'))");
        var scannerKey = ScannerKey.Create(scannerId);
        await fixture.CountAsync("WITH s AS (INSERT INTO scanners (id, event_id, name, gate_ids, api_key_hash) VALUES ($1, 1, 'Legacy scanner', ARRAY[$2::bigint], $3) RETURNING 1) SELECT count(*) FROM s", scannerId, gate, Sha256(scannerKey));
        var participant = await fixture.CountAsync("WITH p AS (INSERT INTO participants (event_id, name, token_hash) VALUES (1, 'Lena Legacy', $1) RETURNING id) SELECT id FROM p", Sha256(token));

        // A node started now sees the outdated rows (the first node may have remembered "none" for a minute).
        await using var node = await ApiHost.StartAsync(fixture.Postgres.ConnectionString, fixture.Redis.Configuration, fixture.Redis.KeyPrefix);
        using (var admitted = await node.PostCheckInAsync(JsonContent.Create(new { gateId = gate, credential = token, method = "qr" }), scannerKey))
        {
            Assert.Equal(HttpStatusCode.Created, admitted.StatusCode);
            Assert.Equal(participant, (await admitted.BodyAsync()).GetProperty("participantId").GetInt64());
        }

        var version = CredentialHasher.VersionOf(ApiHost.Pepper);
        Assert.Equal(1, await fixture.CountAsync("SELECT count(*) FROM participants WHERE id = $1 AND token_hash = $2 AND hash_version = $3", participant, ApiHost.Hasher.Compute(token).ToArray(), version));
        Assert.Equal(1, await fixture.CountAsync("SELECT count(*) FROM scanners WHERE id = $1 AND api_key_hash = $2 AND hash_version = $3", scannerId, ApiHost.Hasher.Compute(scannerKey).ToArray(), version));

        // The next scan finds the participant under the current hash (no stale "unknown" in a cache): a duplicate, not 404.
        using (var again = await node.PostCheckInAsync(JsonContent.Create(new { gateId = gate, credential = token, method = "qr" }), scannerKey))
        {
            Assert.Equal(HttpStatusCode.OK, again.StatusCode);
            Assert.Equal("duplicate", (await again.BodyAsync()).GetProperty("status").GetString());
        }

        Assert.Equal(0, await RedisKeysContainingAsync(Convert.ToHexStringLower(Sha256(token))));
    }

    [Fact]
    public async Task After_a_pepper_rotation_the_previous_peppers_hashes_are_admitted_and_moved_to_the_new_one()
    {
        const string NewPepper = "rotated-credential-pepper-0123456789abcdef";
        var gate = await Host.CreateGateAsync("Rotation door");
        var token = ApiFixture.Token();
        var id = (await Host.ImportAsync(("Rory Rotation", token, "active")))[0];

        await using var rotated = await ApiHost.StartAsync(
            fixture.Postgres.ConnectionString,
            fixture.Redis.Configuration,
            fixture.Redis.KeyPrefix,
            scannerKeys: Host.ScannerKeys,
            eventKit: o =>
            {
                o.Security.CredentialPepper = NewPepper;
                o.Security.PreviousCredentialPepper = ApiHost.Pepper;
            });
        using (var admitted = await rotated.CheckInAsync(gate, token))
        {
            Assert.Equal(HttpStatusCode.Created, admitted.StatusCode);
        }

        Assert.Equal(1, await fixture.CountAsync("SELECT count(*) FROM participants WHERE id = $1 AND token_hash = $2 AND hash_version = $3", id, new CredentialHasher(NewPepper).Compute(token).ToArray(), CredentialHasher.VersionOf(NewPepper)));
    }

    [Fact]
    public async Task Tokens_shorter_than_the_minimum_are_refused_unless_weak_tokens_are_allowed()
    {
        var shortToken = "12345678-" + Guid.NewGuid().ToString("N")[..6];
        using (var import = await Host.Admin.PostAsJsonAsync("/api/v1/participants", new[] { new { name = "Strong", credential = ApiFixture.Token() }, new { name = "Weak", credential = shortToken } }))
        {
            Assert.Equal(HttpStatusCode.BadRequest, import.StatusCode);
            var problem = await import.BodyAsync();
            Assert.Equal("invalid_credential", problem.GetProperty("code").GetString());
            Assert.Equal(1, problem.GetProperty("index").GetInt32());
            Assert.Contains("EventKit:Security:MinimumTokenLength", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        }

        Assert.Equal(0, await fixture.CountAsync("SELECT count(*) FROM participants WHERE name IN ('Strong', 'Weak')"));
        var id = (await Host.ImportAsync(("Patchy", ApiFixture.Token(), "active")))[0];
        using (var patch = await Host.Admin.PatchAsJsonAsync($"/api/v1/participants/{id}", new { credential = shortToken }))
        {
            Assert.Equal(HttpStatusCode.BadRequest, patch.StatusCode);
        }

        await using var lenient = await ApiHost.StartAsync(fixture.Postgres.ConnectionString, fixture.Redis.Configuration, fixture.Redis.KeyPrefix, eventKit: o => o.Security.AllowWeakTokens = true);
        var ids = await lenient.ImportAsync(("Weak but allowed", shortToken, "active"));
        Assert.Single(ids);
    }

    [Fact]
    public async Task Without_a_pepper_the_api_refuses_to_start_outside_development_and_warns_in_development()
    {
        var refused = await Assert.ThrowsAnyAsync<Exception>(() => ApiHost.StartAsync(fixture.Postgres.ConnectionString, fixture.Redis.Configuration, fixture.Redis.KeyPrefix, eventKit: o => o.Security.CredentialPepper = null));
        Assert.Contains("EventKit:Security:CredentialPepper", refused.Message, StringComparison.Ordinal);

        var tooShort = await Assert.ThrowsAnyAsync<Exception>(() => ApiHost.StartAsync(fixture.Postgres.ConnectionString, fixture.Redis.Configuration, fixture.Redis.KeyPrefix, eventKit: o => o.Security.CredentialPepper = "short"));
        Assert.Contains("EventKit:Security:CredentialPepper must be at least 32 bytes", tooShort.Message, StringComparison.Ordinal);

        var badLength = await Assert.ThrowsAnyAsync<Exception>(() => ApiHost.StartAsync(fixture.Postgres.ConnectionString, fixture.Redis.Configuration, fixture.Redis.KeyPrefix, eventKit: o => o.Security.MinimumTokenLength = 0));
        Assert.Contains("EventKit:Security:MinimumTokenLength", badLength.Message, StringComparison.Ordinal);

        var logs = new ListLogger { MinimumLevel = LogLevel.Warning };
        await using var development = await ApiHost.StartAsync(fixture.Postgres.ConnectionString, fixture.Redis.Configuration, fixture.Redis.KeyPrefix, environment: "Development", logs: logs, eventKit: o => o.Security.CredentialPepper = null);
        Assert.Contains(logs.Entries, e => e.EventId.Id == 5006 && e.Message.Contains("CredentialPepper", StringComparison.Ordinal));
    }
}
