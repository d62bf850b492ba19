using System.Diagnostics.Metrics;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using EventKit.Testing;
using Microsoft.Extensions.Logging;

namespace EventKit.AspNetCore.Tests;

/// <summary>Failed gateway and admin authentications are logged without key material and counted by kind.</summary>
public sealed class FailedAuthenticationLogTests(ApiFixture fixture) : IClassFixture<ApiFixture>
{
    [Fact]
    public async Task Wrong_gateway_and_admin_keys_are_logged_without_the_key_and_counted_by_kind()
    {
        var counted = new System.Collections.Concurrent.ConcurrentDictionary<string, long>();
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == "EventKit.Api" && instrument.Name == "eventkit.api.authentication.failures")
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<long>((_, value, tags, _) =>
        {
            foreach (var tag in tags)
            {
                if (tag.Key == "kind")
                {
                    counted.AddOrUpdate((string)tag.Value!, value, (_, n) => n + value);
                }
            }
        });
        listener.Start();
        var logs = new ListLogger { MinimumLevel = LogLevel.Warning };
        await using var host = await ApiHost.StartAsync(fixture.Postgres.ConnectionString, fixture.Redis.Configuration, fixture.Redis.KeyPrefix, logs: logs);
        var gate = await host.CreateGateAsync("Logged door");
        using var created = await host.Admin.PostAsJsonAsync("/api/v1/gateways", new { name = "Logged gateway", gateId = gate });
        var gateway = (await created.BodyAsync()).GetProperty("id").GetInt64();

        const string WrongGatewayKey = "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA";
        using (var report = new HttpRequestMessage(HttpMethod.Post, $"/api/v1/gateways/{gateway}/reports") { Content = new StringContent("", Encoding.UTF8, "application/x-ndjson") })
        {
            report.Headers.Add("X-Gateway-Key", WrongGatewayKey);
            using var refused = await host.Client.SendAsync(report);
            Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        }

        const string WrongAdminKey = "wrong-admin-key-that-must-not-be-logged";
        using (var admin = new HttpRequestMessage(HttpMethod.Get, "/api/v1/audit"))
        {
            admin.Headers.Add("X-Admin-Key", WrongAdminKey);
            using var refused = await host.Client.SendAsync(admin);
            Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        }

        var refusals = logs.Entries.Where(e => e.EventId.Id == 5002).ToList();
        Assert.Contains(refusals, e => e.Message.Contains("gateway", StringComparison.Ordinal));
        Assert.Contains(refusals, e => e.Message.Contains("admin", StringComparison.Ordinal));
        Assert.DoesNotContain(logs.Entries, e => e.Message.Contains(WrongGatewayKey, StringComparison.Ordinal) || e.Message.Contains(WrongAdminKey, StringComparison.Ordinal));
        Assert.True(counted.GetValueOrDefault("gateway") >= 1, "a gateway failure was counted");
        Assert.True(counted.GetValueOrDefault("admin") >= 1, "an admin failure was counted");
    }
}
