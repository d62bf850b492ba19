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
    private readonly List<string> _tokens = [];
    private DedicatedRedisSentinel? _sentinel;
    private long _gate;

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
        var a = await StartNodeAsync();
        var b = await StartNodeAsync();
        _gate = (await a.Services.GetRequiredService<IGateRegistry>().CreateAsync(1, "Main", GateKind.Entrance, isOpen: true)).Id;
        var participants = new List<NewParticipant>();
        for (var i = 0; i < Participants; i++)
        {
            var token = "T" + Guid.NewGuid().ToString("N");
            _tokens.Add(token);
            participants.Add(new NewParticipant($"P{i}", token));
        }

        await a.Services.GetRequiredService<IParticipantRegistry>().RegisterAsync(1, participants);
        var connection = a.Services.GetRequiredService<IRedisConnection>();
        Assert.Contains(connection.Multiplexer!.GetServers(), s => s.EndPoint is System.Net.IPEndPoint ip && ip.Port == _sentinel!.PrimaryPort && !s.IsReplica);

        var first = await Task.WhenAll(_tokens.Take(20).Select((t, i) => Node(i % 2 == 0 ? a : b).CheckInAsync(CheckInRequest.ForToken(_gate, t)).AsTask()));
        Assert.All(first, r => Assert.Equal(CheckInStatus.Admitted, r.Status));
        Assert.DoesNotContain(_logs.Entries, e => e.EventId.Id == 7010);

        await _sentinel!.KillPrimaryAsync();

        // Every scan of someone admitted before the failover stays a duplicate on both nodes, during and after it.
        await Eventually.TrueAsync(
            async () =>
            {
                var again = await Task.WhenAll(_tokens.Take(20).Select((t, i) => Node(i % 2 == 0 ? b : a).CheckInAsync(CheckInRequest.ForToken(_gate, t)).AsTask()));
                Assert.All(again, r => Assert.True(r.Status is CheckInStatus.Duplicate or CheckInStatus.Unavailable, r.Status.ToString()));
                return a.Services.GetRequiredService<IRedisConnection>().IsConnected && b.Services.GetRequiredService<IRedisConnection>().IsConnected
                    && again.All(r => r.Status == CheckInStatus.Duplicate);
            },
            "both nodes follow the new primary",
            TimeSpan.FromSeconds(60));

        // The new primary is the former replica, and the claims work through it for the rest.
        Assert.Contains(connection.Multiplexer!.GetServers(), s => s.EndPoint is System.Net.IPEndPoint ip && ip.Port == _sentinel.ReplicaPort && !s.IsReplica && s.IsConnected);
        var rest = await Task.WhenAll(_tokens.Skip(20).Select((t, i) => Node(i % 2 == 0 ? a : b).CheckInAsync(CheckInRequest.ForToken(_gate, t)).AsTask()));
        Assert.All(rest, r => Assert.Equal(CheckInStatus.Admitted, r.Status));
        var last = await Task.WhenAll(_tokens.Skip(20).Select((t, i) => Node(i % 2 == 0 ? b : a).CheckInAsync(CheckInRequest.ForToken(_gate, t)).AsTask()));
        Assert.All(last, r => Assert.Equal(CheckInStatus.Duplicate, r.Status));
        Assert.Equal(Participants, await CountAsync());
    }

    private static ICheckInService Node(IHost host) => host.Services.GetRequiredService<ICheckInService>();

    private async Task<IHost> StartNodeAsync()
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Logging.AddProvider(_logs);
        builder.Services.AddEventKit(o => o.ReEntryWindow = TimeSpan.FromMinutes(5))
            .AddPostgresStorage(o => o.ConnectionString = _database.ConnectionString)
            .AddRedisCheckInClaims(o =>
            {
                o.Timeout = TimeSpan.FromMilliseconds(300);
                o.CircuitBreakDuration = TimeSpan.FromMilliseconds(500);
            })
            .AddRedis(o => o.Configuration = _sentinel!.Configuration);
        var host = builder.Build();
        await host.StartAsync();
        _hosts.Add(host);
        return host;
    }

    private async Task<long> CountAsync()
    {
        await using var command = _database.DataSource.CreateCommand($"SELECT count(*) FROM attendance_records WHERE gate_id = {_gate}");
        return (long)(await command.ExecuteScalarAsync())!;
    }
}
