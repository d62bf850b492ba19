using System.Net;
using EventKit.Testing;

namespace EventKit.AspNetCore.Tests;

public sealed class RateLimitTests(PostgresFixture postgres) : IClassFixture<PostgresFixture>
{
    [Fact]
    public async Task A_gate_over_its_burst_gets_429_with_retry_after_and_other_gates_do_not()
    {
        await using var host = await ApiHost.StartAsync(postgres.ConnectionString, redis: null, "rate:", api: o =>
        {
            o.GateRateLimitPerSecond = 1;
            o.GateRateLimitBurst = 3;
        });
        var busy = await host.CreateGateAsync("Busy");
        var quiet = await host.CreateGateAsync("Quiet");

        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 6; i++)
        {
            using var response = await host.CheckInAsync(busy, ApiFixture.Token());
            statuses.Add(response.StatusCode);
            if (response.StatusCode == HttpStatusCode.TooManyRequests)
            {
                Assert.NotNull(response.Headers.RetryAfter);
                Assert.Equal("rate_limited", (await response.BodyAsync()).GetProperty("code").GetString());
            }
        }

        Assert.Contains(HttpStatusCode.TooManyRequests, statuses);
        using var other = await host.CheckInAsync(quiet, ApiFixture.Token());
        Assert.Equal(HttpStatusCode.NotFound, other.StatusCode);
    }
}
