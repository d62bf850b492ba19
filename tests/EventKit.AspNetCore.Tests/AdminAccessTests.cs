using System.Diagnostics.Metrics;
using System.Net;
using Microsoft.AspNetCore.Http;

namespace EventKit.AspNetCore.Tests;

/// <summary>Anonymous admin is for Development on loopback only; failed admin keys are counted and limited.</summary>
public sealed class AdminAccessTests(ApiFixture fixture) : IClassFixture<ApiFixture>
{
    [Fact]
    public async Task Anonymous_admin_is_refused_at_start_outside_development()
    {
        var error = await Assert.ThrowsAnyAsync<Exception>(() => ApiHost.StartAsync(fixture.Postgres.ConnectionString, fixture.Redis.Configuration, fixture.Redis.KeyPrefix, o => o.AllowAnonymousAdmin = true));
        Assert.Contains("EventKit:Api:AllowAnonymousAdmin", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Anonymous_admin_in_development_serves_loopback_callers_only()
    {
        await using var host = await ApiHost.StartAsync(fixture.Postgres.ConnectionString, fixture.Redis.Configuration, fixture.Redis.KeyPrefix, o => o.AllowAnonymousAdmin = true, environment: "Development");

        var local = await host.Server.SendAsync(c => Get(c, IPAddress.Loopback));
        var remote = await host.Server.SendAsync(c => Get(c, IPAddress.Parse("10.1.2.3")));
        var unknown = await host.Server.SendAsync(c => Get(c, null));

        Assert.Equal(StatusCodes.Status200OK, local.Response.StatusCode);
        Assert.Equal(StatusCodes.Status401Unauthorized, remote.Response.StatusCode);
        Assert.Equal(StatusCodes.Status401Unauthorized, unknown.Response.StatusCode);
    }

    [Fact]
    public async Task Failed_admin_keys_are_counted_and_limited_per_address()
    {
        var failures = 0L;
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
                if (tag is { Key: "kind", Value: "admin" })
                {
                    Interlocked.Add(ref failures, value);
                }
            }
        });
        listener.Start();
        await using var host = await ApiHost.StartAsync(fixture.Postgres.ConnectionString, fixture.Redis.Configuration, fixture.Redis.KeyPrefix, o => o.FailedAuthenticationsPerMinute = 2);

        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 3; i++)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, "/api/v1/stats/gates");
            request.Headers.Add("X-Admin-Key", "wrong-key-0123456789-" + i);
            using var response = await host.Client.SendAsync(request);
            statuses.Add(response.StatusCode);
        }

        Assert.Equal([HttpStatusCode.Unauthorized, HttpStatusCode.Unauthorized, HttpStatusCode.TooManyRequests], statuses);
        Assert.True(Interlocked.Read(ref failures) >= 2, $"counted {failures} admin failures");
    }

    private static void Get(HttpContext context, IPAddress? remote)
    {
        context.Request.Method = "GET";
        context.Request.Path = "/api/v1/stats/gates";
        context.Connection.RemoteIpAddress = remote;
    }
}
