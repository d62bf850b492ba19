using System.Net;
using EventKit.Scaling;
using Microsoft.Extensions.DependencyInjection;

namespace EventKit.AspNetCore.Tests;

/// <summary>
/// The load a node heartbeats (in flight and p95 per request type) comes from the requests it served: the tracker is
/// the application's singleton, not a filter built per request (ASP.NET Core's <c>AddEndpointFilter&lt;T&gt;()</c> does
/// that, and then every request recorded into a throwaway window and the heartbeat said 0).
/// </summary>
public sealed class RequestLoadTrackerTests(ApiFixture fixture) : IClassFixture<ApiFixture>
{
    [Fact]
    public async Task The_heartbeated_load_counts_the_check_ins_and_reads_the_node_served()
    {
        await using var host = await ApiHost.StartAsync(fixture.Postgres.ConnectionString, fixture.Redis.Configuration, fixture.Redis.KeyPrefix + "load-tracker:", operations: true);
        var gate = await host.CreateGateAsync("Load tracker gate");
        var token = ApiFixture.Token();
        await host.ImportAsync(("Load Tracker", token, "active"));
        var load = host.Services.GetRequiredService<IRequestLoadProvider>();
        Assert.Equal(0, load.Sample()[RequestTypes.CheckIn].P95Milliseconds);

        for (var i = 0; i < 20; i++)
        {
            using var response = await host.CheckInAsync(gate, token);
            Assert.True(response.StatusCode is HttpStatusCode.Created or HttpStatusCode.OK, $"check-in {i}: {(int)response.StatusCode}");
        }

        using (var read = await host.Admin.GetAsync("/api/v1/attendance?limit=5"))
        {
            Assert.Equal(HttpStatusCode.OK, read.StatusCode);
        }

        var sample = load.Sample();
        Assert.True(sample[RequestTypes.CheckIn].P95Milliseconds > 0, "the node's check-ins are in its heartbeated load");
        Assert.True(sample[RequestTypes.Read].P95Milliseconds > 0, "the node's reads are in its heartbeated load");
        Assert.Equal(0, sample[RequestTypes.CheckIn].InFlight);
    }
}
