using EventKit.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using StackExchange.Redis;

namespace EventKit.Redis.Tests;

/// <summary>
/// The check-in claims on a real Redis Cluster of three primaries (started by the test, no setup needed): with the
/// default key prefixes (one hash tag) every multi-key script runs; with prefixes that split the keys over slots the
/// claims refuse the Cluster, say so, and PostgreSQL keeps the answers right.
/// </summary>
public sealed class RedisClusterClaimsTests : IAsyncLifetime
{
    private const int Participants = 40;
    private readonly PostgresFixture _database = new();
    private readonly ListLogger _logs = new() { MinimumLevel = LogLevel.Warning };
    private readonly List<IHost> _hosts = [];
    private DedicatedRedisCluster? _cluster;

    public async Task InitializeAsync()
    {
        await _database.InitializeAsync();
        _cluster = await DedicatedRedisCluster.StartNewAsync();
    }

    public async Task DisposeAsync()
    {
        foreach (var host in _hosts)
        {
            await host.StopAsync();
            host.Dispose();
        }

        if (_cluster is not null)
        {
            await _cluster.DisposeAsync();
        }

        await _database.DisposeAsync();
    }

    [Fact]
    public async Task Claims_and_request_ids_are_shared_by_two_nodes_through_a_three_primary_cluster()
    {
        var a = await StartNodeAsync();
        var b = await StartNodeAsync();
        var (gate, tokens) = await ClaimsNodes.SeedAsync(a, Participants);

        // The cluster really spreads keys: the default claim keys all carry the {eventkit} tag, so they share one slot.
        var multiplexer = a.Services.GetRequiredService<IRedisConnection>().Multiplexer!;
        Assert.Equal(3, multiplexer.GetServers().Count(s => s.ServerType == ServerType.Cluster && !s.IsReplica));
        Assert.Equal(multiplexer.HashSlot("{eventkit}:epoch"), multiplexer.HashSlot("{eventkit}:claims:p:1:2"));

        Assert.All(await ClaimsNodes.ScanAsync([a, b], gate, tokens), r => Assert.Equal(CheckInStatus.Admitted, r.Status));

        // The other node sees every claim: each second scan is a duplicate.
        Assert.All(await ClaimsNodes.ScanAsync([b, a], gate, tokens), r => Assert.Equal(CheckInStatus.Duplicate, r.Status));

        // A request id replayed on the other node gets the first answer, from Redis.
        var requestId = Guid.CreateVersion7();
        var extra = "T" + Guid.NewGuid().ToString("N");
        await a.Services.GetRequiredService<IParticipantRegistry>().RegisterAsync(1, [new NewParticipant("Late", extra)]);
        var admitted = await Node(a).CheckInAsync(CheckInRequest.ForToken(gate, extra, requestId: requestId));
        Assert.Equal(CheckInStatus.Admitted, admitted.Status);
        Assert.Equal(admitted, await Node(b).CheckInAsync(CheckInRequest.ForToken(gate, extra, requestId: requestId)));

        // Redis answered every claim: no node fell back to its own claims, none refused the cluster.
        Assert.DoesNotContain(_logs.Entries, e => e.EventId.Id is 7010 or 7050);
        Assert.True(await multiplexer.GetDatabase().KeyExistsAsync("{eventkit}:epoch"));
        Assert.Equal(HealthStatus.Healthy, (await a.Services.GetRequiredService<HealthCheckService>().CheckHealthAsync(r => r.Name == "claims")).Status);
        Assert.Equal(Participants + 1, await ClaimsNodes.CountAsync(_database, gate));
    }

    [Fact]
    public async Task Prefixes_without_a_shared_hash_tag_make_the_claims_refuse_the_cluster_without_failing_a_check_in()
    {
        var a = await StartNodeAsync(claimsPrefix: "split:claims:");
        var b = await StartNodeAsync(claimsPrefix: "split:claims:");
        var (gate, tokens) = await ClaimsNodes.SeedAsync(a, Participants);

        Assert.All(await ClaimsNodes.ScanAsync([a, b], gate, tokens), r => Assert.Equal(CheckInStatus.Admitted, r.Status));
        Assert.All(await ClaimsNodes.ScanAsync([b, a], gate, tokens), r => Assert.Equal(CheckInStatus.Duplicate, r.Status));
        Assert.Contains(_logs.Entries, e => e.EventId.Id == 7050);
        var health = await a.Services.GetRequiredService<HealthCheckService>().CheckHealthAsync(r => r.Name == "claims");
        Assert.Equal(HealthStatus.Unhealthy, health.Status);
        Assert.Contains("hash tag", health.Entries["claims"].Description, StringComparison.Ordinal);
        Assert.Equal(Participants, await ClaimsNodes.CountAsync(_database, gate));
    }

    private static ICheckInService Node(IHost host) => host.Services.GetRequiredService<ICheckInService>();

    private async Task<IHost> StartNodeAsync(string? claimsPrefix = null)
    {
        var host = await ClaimsNodes.StartAsync(_database, _logs, _cluster!.Configuration, o => o.KeyPrefix = claimsPrefix ?? o.KeyPrefix);
        _hosts.Add(host);
        return host;
    }
}
