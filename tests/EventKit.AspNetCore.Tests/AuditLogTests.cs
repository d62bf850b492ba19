using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace EventKit.AspNetCore.Tests;

/// <summary>Every management change leaves an audit row (who, what, old/new status) readable with keyset paging; no key material.</summary>
public sealed class AuditLogTests(ApiFixture fixture) : IClassFixture<ApiFixture>
{
    private ApiHost Host => fixture.Host;

    /// <summary>Entries of this event's audit log, newest first, all pages.</summary>
    private static async Task<List<JsonElement>> ReadAllAsync(ApiHost host, int limit = 100)
    {
        var all = new List<JsonElement>();
        string? after = null;
        do
        {
            using var response = await host.Admin.GetAsync($"/api/v1/audit?limit={limit}" + (after is null ? "" : "&after=" + Uri.EscapeDataString(after)));
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            var body = await response.BodyAsync();
            all.AddRange(body.GetProperty("items").EnumerateArray());
            after = body.TryGetProperty("nextCursor", out var cursor) && cursor.ValueKind == JsonValueKind.String ? cursor.GetString() : null;
        }
        while (after is not null);

        return all;
    }

    private static JsonElement Single(List<JsonElement> entries, string action, long? entityId)
        => Assert.Single(entries, e => e.GetProperty("action").GetString() == action && (entityId is null || (e.TryGetProperty("entityId", out var id) && id.GetInt64() == entityId)));

    private static bool Is(JsonElement entry, string kind, long id)
        => entry.GetProperty("entityKind").GetString() == kind && entry.TryGetProperty("entityId", out var value) && value.GetInt64() == id;

    private static string? Field(JsonElement entry, string side, string name)
        => entry.TryGetProperty(side, out var value) && value.TryGetProperty(name, out var field) ? field.ToString() : null;

    [Fact]
    public async Task Each_kind_of_change_leaves_a_row_with_its_old_and_new_status_and_no_key_material()
    {
        var gate = await Host.CreateGateAsync("Audited door");
        using (var close = await Host.Admin.PatchAsJsonAsync($"/api/v1/gates/{gate}", new { open = false }))
        {
            Assert.Equal(HttpStatusCode.OK, close.StatusCode);
        }

        var token = ApiFixture.Token();
        var newToken = ApiFixture.Token();
        var ids = await Host.ImportAsync(("Audrey Audit", token, "active"));
        using (var suspend = await Host.Admin.PatchAsJsonAsync($"/api/v1/participants/{ids[0]}", new { status = "suspended", credential = newToken }))
        {
            Assert.Equal(HttpStatusCode.OK, suspend.StatusCode);
        }

        var scannerKey = Host.ScannerKeys[gate];
        var scannerId = long.Parse(scannerKey.Split('_')[1], System.Globalization.CultureInfo.InvariantCulture);
        using var rotatedScanner = await Host.Admin.PostAsync($"/api/v1/scanners/{scannerId}/rotate-key", null);
        var rotatedScannerKey = (await rotatedScanner.BodyAsync()).GetProperty("apiKey").GetString()!;
        using (var revoke = await Host.Admin.DeleteAsync($"/api/v1/scanners/{scannerId}"))
        {
            Assert.Equal(HttpStatusCode.NoContent, revoke.StatusCode);
        }

        using var gatewayCreated = await Host.Admin.PostAsJsonAsync("/api/v1/gateways", new { name = "Audited gateway", gateId = gate });
        var gatewayBody = await gatewayCreated.BodyAsync();
        var gatewayId = gatewayBody.GetProperty("id").GetInt64();
        using var rotatedGateway = await Host.Admin.PostAsync($"/api/v1/gateways/{gatewayId}/rotate-key", null);
        var rotatedGatewayKey = (await rotatedGateway.BodyAsync()).GetProperty("apiKey").GetString()!;
        using (var revoke = await Host.Admin.DeleteAsync($"/api/v1/gateways/{gatewayId}"))
        {
            Assert.Equal(HttpStatusCode.NoContent, revoke.StatusCode);
        }

        using (var bleKey = await Host.Admin.PostAsync($"/api/v1/participants/{ids[0]}/ble-key", null))
        {
            Assert.Equal(HttpStatusCode.OK, bleKey.StatusCode);
        }

        var entries = await ReadAllAsync(Host);
        Assert.All(entries.Where(e => Is(e, "gate", gate) || Is(e, "participant", ids[0])), e => Assert.Equal("admin", e.GetProperty("actor").GetString()));

        var gateCreate = Single(entries, "gate.create", gate);
        Assert.Equal("gate", gateCreate.GetProperty("entityKind").GetString());
        Assert.Equal("Audited door", Field(gateCreate, "new", "name"));
        var gateUpdate = Single(entries, "gate.update", gate);
        Assert.Equal("True", Field(gateUpdate, "old", "open"));
        Assert.Equal("False", Field(gateUpdate, "new", "open"));

        var import = Assert.Single(entries, e => e.GetProperty("action").GetString() == "participant.import" && Field(e, "new", "firstId") == ids[0].ToString(System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal("1", Field(import, "new", "count"));
        var update = Single(entries, "participant.update", ids[0]);
        Assert.Equal("active", Field(update, "old", "status"));
        Assert.Equal("suspended", Field(update, "new", "status"));
        Assert.Equal("replaced", Field(update, "new", "credential"));
        Assert.Equal("issued", Field(Single(entries, "participant.ble_key", ids[0]), "new", "bleKey"));

        Assert.Equal("active", Field(Single(entries, "scanner.create", scannerId), "new", "status"));
        Assert.Equal("rotated", Field(Single(entries, "scanner.rotate_key", scannerId), "new", "key"));
        var scannerRevoke = Single(entries, "scanner.revoke", scannerId);
        Assert.Equal("active", Field(scannerRevoke, "old", "status"));
        Assert.Equal("revoked", Field(scannerRevoke, "new", "status"));

        Assert.Equal(gate.ToString(System.Globalization.CultureInfo.InvariantCulture), Field(Single(entries, "gateway.create", gatewayId), "new", "gateId"));
        Assert.Equal("rotated", Field(Single(entries, "gateway.rotate_key", gatewayId), "new", "key"));
        Assert.Equal("revoked", Field(Single(entries, "gateway.revoke", gatewayId), "new", "status"));

        // The rows themselves: none holds a token, a key or a hash of one.
        var secrets = new[] { token, newToken, scannerKey, rotatedScannerKey, gatewayBody.GetProperty("apiKey").GetString()!, rotatedGatewayKey, ApiHost.AdminKey };
        foreach (var secret in secrets)
        {
            Assert.Equal(0, await fixture.CountAsync(
                "SELECT count(*) FROM audit_log WHERE concat_ws(' ', actor, action, entity_kind, old_value::text, new_value::text) LIKE '%' || $1 || '%' OR concat_ws(' ', old_value::text, new_value::text) LIKE '%' || $2 || '%'",
                secret[^16..],
                Convert.ToHexStringLower(ApiHost.Hasher.Compute(secret).ToArray())[..16]));
        }

        Assert.True(await fixture.CountAsync("SELECT count(*) FROM audit_log WHERE event_id = 1") >= 11);
    }

    [Fact]
    public async Task Paging_is_newest_first_and_stable_while_changes_arrive()
    {
        for (var i = 0; i < 7; i++)
        {
            await Host.CreateGateAsync($"Paging {i}");
        }

        using var first = await Host.Admin.GetAsync("/api/v1/audit?limit=3");
        var firstBody = await first.BodyAsync();
        var seen = firstBody.GetProperty("items").EnumerateArray().Select(e => e.GetProperty("id").GetInt64()).ToList();
        var cursor = firstBody.GetProperty("nextCursor").GetString()!;
        var snapshot = await fixture.CountAsync("SELECT count(*) FROM audit_log WHERE event_id = 1 AND id <= $1", seen[0]);

        // Changes made between pages are newer than the first page: they never shift later pages.
        await Host.CreateGateAsync("Arrives while paging");
        while (cursor is not null)
        {
            using var page = await Host.Admin.GetAsync("/api/v1/audit?limit=3&after=" + Uri.EscapeDataString(cursor));
            Assert.Equal(HttpStatusCode.OK, page.StatusCode);
            var body = await page.BodyAsync();
            seen.AddRange(body.GetProperty("items").EnumerateArray().Select(e => e.GetProperty("id").GetInt64()));
            cursor = body.TryGetProperty("nextCursor", out var next) && next.ValueKind == JsonValueKind.String ? next.GetString() : null;
        }

        Assert.Equal(seen.OrderDescending(), seen);
        Assert.Equal(seen.Count, seen.Distinct().Count());
        Assert.Equal(snapshot, seen.Count);

        using var forged = await Host.Admin.GetAsync("/api/v1/audit?after=not-a-cursor");
        Assert.Equal(HttpStatusCode.BadRequest, forged.StatusCode);
        using var tooMany = await Host.Admin.GetAsync("/api/v1/audit?limit=1001");
        Assert.Equal(HttpStatusCode.BadRequest, tooMany.StatusCode);
        using var anonymous = await Host.Client.GetAsync("/api/v1/audit");
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
    }

    [Fact]
    public async Task The_actor_is_the_named_admin_key_and_a_retired_key_is_refused_after_a_configuration_reload()
    {
        const string OpsKey = "ops-admin-key-0123456789abcdef";
        await using var host = await ApiHost.StartAsync(fixture.Postgres.ConnectionString, fixture.Redis.Configuration, fixture.Redis.KeyPrefix, settings: new Dictionary<string, string?> { ["EventKit:Api:AdminKeys:ops"] = OpsKey });
        using var ops = host.Server.CreateClient();
        ops.DefaultRequestHeaders.Add("X-Admin-Key", OpsKey);

        using var created = await ops.PostAsJsonAsync("/api/v1/gates", new { name = "Opened by ops" });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var gate = (await created.BodyAsync()).GetProperty("id").GetInt64();
        var entry = Single(await ReadAllAsync(host), "gate.create", gate);
        Assert.Equal("ops", entry.GetProperty("actor").GetString());

        // Retire the key in configuration: the next request with it is refused, without a restart.
        var configuration = (Microsoft.Extensions.Configuration.IConfigurationRoot)host.Services.GetService(typeof(Microsoft.Extensions.Configuration.IConfiguration))!;
        configuration["EventKit:Api:AdminKeys:ops"] = "";
        configuration.Reload();
        using var retired = await ops.GetAsync("/api/v1/audit");
        Assert.Equal(HttpStatusCode.Unauthorized, retired.StatusCode);
        using var admin = await host.Admin.GetAsync("/api/v1/audit");
        Assert.Equal(HttpStatusCode.OK, admin.StatusCode);
    }
}
