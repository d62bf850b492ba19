using EventKit.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace EventKit.Redis.Tests;

/// <summary>
/// The check-in claims through Redis Sentinel (configuration <c>sentinel:port,serviceName=…</c>): two nodes share the
/// claims, the primary is killed, the sentinel promotes the replica, and the nodes follow it without readmitting anyone.
/// </summary>
public sealed class RedisSentinelClaimsTests : IAsyncLifetime
{
    private const int Participants = 30;
    private readonly PostgresFixture _database = new();
    private readonly ListLogger _logs = new() { MinimumLevel = LogLevel.Warning };
    private readonly List<IHost> _hosts = [];
    private DedicatedRedisSentinel? _sentinel;

    public async Task InitializeAsync()
    {
        await _database.InitializeAsync();
        _sentinel = await DedicatedRedisSentinel.StartNewAsync();
    }

    public async Task DisposeAsync()
    {
        foreach (var host in _hosts)
        {
            await host.StopAsync();
            host.Dispose();
        }

        if (_sentinel is not null)
        {
            await _sentinel.DisposeAsync();
        }

        await _database.DisposeAsync();
    }

    [Fact]
    public async Task Two_nodes_share_claims_through_sentinel_and_follow_a_failover_without_readmitting_anyone()
    {
        foreach (var _ in new[] { 0, 1 })
        {
            _hosts.Add(await ClaimsNodes.StartAsync(_database, _logs, _sentinel!.Configuration, o =>
            {
                // The default: a shorter one made a claim time out on a loaded CI machine before the failover.
                o.Timeout = TimeSpan.FromSeconds(1);
                o.CircuitBreakDuration = TimeSpan.FromMilliseconds(500);
            }));
        }

        var (a, b) = (_hosts[0], _hosts[1]);
        var (gate, tokens) = await ClaimsNodes.SeedAsync(a, Participants);
        var connection = a.Services.GetRequiredService<IRedisConnection>();
        Assert.Contains(connection.Multiplexer!.GetServers(), s => s.EndPoint is System.Net.IPEndPoint ip && ip.Port == _sentinel!.PrimaryPort && !s.IsReplica);

        Assert.All(await ClaimsNodes.ScanAsync([a, b], gate, tokens.Take(20)), r => Assert.Equal(CheckInStatus.Admitted, r.Status));
        Assert.DoesNotContain(_logs.Entries, e => e.EventId.Id == 7010);

        await _sentinel!.KillPrimaryAsync();

        // Every scan of someone admitted before the failover stays a duplicate on both nodes, during and after it.
        await Eventually.TrueAsync(
            async () =>
            {
                var again = await ClaimsNodes.ScanAsync([b, a], gate, tokens.Take(20));
                Assert.All(again, r => Assert.True(r.Status is CheckInStatus.Duplicate or CheckInStatus.Unavailable, r.Status.ToString()));
                return a.Services.GetRequiredService<IRedisConnection>().IsConnected && b.Services.GetRequiredService<IRedisConnection>().IsConnected
                    && again.All(r => r.Status == CheckInStatus.Duplicate);
            },
            "both nodes follow the new primary",
            TimeSpan.FromSeconds(60));

        // The new primary is the former replica, and the claims work through it for the rest.
        Assert.Contains(connection.Multiplexer!.GetServers(), s => s.EndPoint is System.Net.IPEndPoint ip && ip.Port == _sentinel.ReplicaPort && !s.IsReplica && s.IsConnected);
        Assert.All(await ClaimsNodes.ScanAsync([a, b], gate, tokens.Skip(20)), r => Assert.Equal(CheckInStatus.Admitted, r.Status));
        Assert.All(await ClaimsNodes.ScanAsync([b, a], gate, tokens.Skip(20)), r => Assert.Equal(CheckInStatus.Duplicate, r.Status));
        Assert.Equal(Participants, await ClaimsNodes.CountAsync(_database, gate));
    }
}
