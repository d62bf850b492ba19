using System.Net;
using EventKit.Testing;
using Npgsql;

namespace EventKit.AspNetCore.Tests;

/// <summary>PostgreSQL stopped under a running host: 503 + Retry-After, nothing half-written, recovery when it is back.</summary>
public sealed class OutageTests(RedisFixture redis) : IClassFixture<RedisFixture>
{
    [Fact]
    public async Task Storage_outage_is_503_with_retry_after_and_the_host_recovers()
    {
        await using var server = await DedicatedPostgresServer.StartNewAsync();
        await using var host = await ApiHost.StartAsync(server.ConnectionString, redis.Configuration, redis.KeyPrefix + "outage:");
        var gateA = await host.CreateGateAsync("A");
        var gateB = await host.CreateGateAsync("B");
        var token = ApiFixture.Token();
        var unknownToken = ApiFixture.Token();
        await host.ImportAsync(("Outage", token, "active"));
        using (var warm = await host.CheckInAsync(gateA, token))
        {
            Assert.Equal(HttpStatusCode.Created, warm.StatusCode);
        }

        await server.StopAsync();
        var requestId = Guid.CreateVersion7();

        // Callers without a valid key are refused before any database work: 401, not 503, while PostgreSQL is down.
        using (var anonymous = await host.PostCheckInAsync(System.Net.Http.Json.JsonContent.Create(new { gateId = gateB, credential = token, method = "qr" }), "not-a-scanner-key"))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        }

        // Gate and participant are cached: the claim succeeds, the durable write cannot.
        using (var write = await host.CheckInAsync(gateB, token, requestId))
        {
            Assert.Equal(HttpStatusCode.ServiceUnavailable, write.StatusCode);
            Assert.True(write.Headers.RetryAfter?.Delta > TimeSpan.Zero, "Retry-After is set");
            Assert.Equal("storage_unavailable", (await write.BodyAsync()).GetProperty("code").GetString());
        }

        using (var ready = await host.Admin.GetAsync("/health/ready"))
        {
            Assert.Equal(HttpStatusCode.ServiceUnavailable, ready.StatusCode);
        }

        // A lookup that needs the database is a 503 too, never a 500.
        using (var lookup = await host.CheckInAsync(gateB, unknownToken))
        {
            Assert.Equal(HttpStatusCode.ServiceUnavailable, lookup.StatusCode);
        }

        await server.StartAsync();

        // The same request, retried, is admitted: the failed attempt released its claim and left no answer behind.
        await Eventually.TrueAsync(
            async () =>
            {
                using var retry = await host.CheckInAsync(gateB, token, requestId);
                return retry.StatusCode == HttpStatusCode.Created;
            },
            "the retried check-in is admitted after PostgreSQL is back",
            TimeSpan.FromSeconds(30));

        await using var dataSource = NpgsqlDataSource.Create(server.ConnectionString);
        await using var count = dataSource.CreateCommand("SELECT count(*) FROM attendance_records");
        Assert.Equal(2L, (long)(await count.ExecuteScalarAsync())!);
    }
}
