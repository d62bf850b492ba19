using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using EventKit.Gates.Ble;
using EventKit.Storage;
using EventKit.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace EventKit.AspNetCore.Tests;

/// <summary>BLE identity keys provisioned over HTTP are sealed in PostgreSQL; a restarted node with the same key resolves
/// EIDs, a node with another key (or none, in Production) does not start.</summary>
public sealed class BleKeyAtRestTests : IAsyncLifetime
{
    private readonly PostgresFixture _postgres = new();
    private readonly RedisFixture _redis = new();

    public async Task InitializeAsync()
    {
        await _postgres.InitializeAsync();
        await _redis.InitializeAsync();
    }

    public async Task DisposeAsync()
    {
        await _redis.DisposeAsync();
        await _postgres.DisposeAsync();
    }

    [Fact]
    public async Task Provisioned_keys_are_sealed_and_EIDs_resolve_after_a_restart_with_the_same_key()
    {
        BleIdentity identity;
        long participant, gatewayId;
        string gatewayKey;
        await using (var first = await ApiHost.StartAsync(_postgres.ConnectionString, _redis.Configuration, _redis.KeyPrefix))
        {
            var gate = await first.CreateGateAsync("BLE door");
            using var registered = await first.Admin.PostAsJsonAsync("/api/v1/gateways", new { name = "gw", gateId = gate });
            var gateway = await registered.BodyAsync();
            (gatewayId, gatewayKey) = (gateway.GetProperty("id").GetInt64(), gateway.GetProperty("apiKey").GetString()!);
            participant = (await first.ImportAsync(("Phone Walker", ApiFixture.Token(), "active")))[0];
            using var provisioned = await first.Admin.PostAsync($"/api/v1/participants/{participant}/ble-key", null);
            var body = await provisioned.BodyAsync();
            identity = new BleIdentity(participant, Convert.FromHexString(body.GetProperty("identityKey").GetString()!), (byte)body.GetProperty("rotationExponent").GetInt32(), body.GetProperty("clockOffset").GetUInt32());
        }

        // The database alone holds no identity key: the plaintext column is empty and the sealed one does not contain it.
        await using (var row = _postgres.DataSource.CreateCommand("SELECT ble_identity_key IS NULL, ble_identity_key_sealed FROM participants WHERE id = $1"))
        {
            row.Parameters.Add(new Npgsql.NpgsqlParameter<long> { TypedValue = participant });
            await using var reader = await row.ExecuteReaderAsync();
            Assert.True(await reader.ReadAsync());
            Assert.True(reader.GetBoolean(0));
            Assert.Equal(-1, reader.GetFieldValue<byte[]>(1).AsSpan().IndexOf(identity.IdentityKey.Span));
        }

        await using var restarted = await ApiHost.StartAsync(_postgres.ConnectionString, _redis.Configuration, _redis.KeyPrefix);
        var now = DateTimeOffset.UtcNow;
        var advert = Convert.ToHexStringLower(EddystoneEid.CreateAdvert(identity, now));
        var request = new HttpRequestMessage(HttpMethod.Post, $"/api/v1/gateways/{gatewayId}/reports")
        {
            Content = new StringContent(string.Create(CultureInfo.InvariantCulture, $"{{\"t\":{now.ToUnixTimeMilliseconds()},\"mac\":\"C6:A5:00:00:00:01\",\"rssi\":-52,\"adv\":\"{advert}\"}}\n"), Encoding.UTF8, "application/x-ndjson"),
        };
        request.Headers.Add("X-Gateway-Key", gatewayKey);
        using var report = await restarted.Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.Accepted, report.StatusCode);
        Assert.Equal(1, (await report.BodyAsync()).GetProperty("resolved").GetInt32());
    }

    [Fact]
    public async Task A_node_with_another_key_or_none_in_Production_does_not_start()
    {
        await using (var first = await ApiHost.StartAsync(_postgres.ConnectionString, _redis.Configuration, _redis.KeyPrefix))
        {
            var participant = (await first.ImportAsync(("Phone Walker", ApiFixture.Token(), "active")))[0];
            using var provisioned = await first.Admin.PostAsync($"/api/v1/participants/{participant}/ble-key", null);
            Assert.Equal(HttpStatusCode.OK, provisioned.StatusCode);
        }

        var wrongKey = await Assert.ThrowsAsync<InvalidOperationException>(() => StartAsync(Convert.ToBase64String(RandomNumberGenerator.GetBytes(32))));
        var noKey = await Assert.ThrowsAsync<OptionsValidationException>(() => StartAsync(null));

        Assert.Contains("EventKit:Security:BleKeyEncryptionKey", wrongKey.Message, StringComparison.Ordinal);
        Assert.Contains("EventKit:Security:BleKeyEncryptionKey", noKey.Message, StringComparison.Ordinal);
    }

    private async Task StartAsync(string? bleKey)
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { EnvironmentName = "Production" });
        builder.WebHost.UseTestServer();
        builder.Logging.ClearProviders();

        // Production needs a credential pepper too (issue 12): set so that only the BLE key decides here.
        builder.Configuration["EventKit:Security:CredentialPepper"] = "test-credential-pepper-0123456789abcdef";
        builder.Services.AddEventKit()
            .AddPostgresStorage(o => o.ConnectionString = _postgres.ConnectionString)
            .AddBleGates();
        builder.Services.Configure<BleKeyEncryptionOptions>(o => o.BleKeyEncryptionKey = bleKey);
        await using var app = builder.Build();
        await app.StartAsync();
        await app.StopAsync();
    }
}
