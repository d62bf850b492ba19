using System.Collections.Concurrent;
using EventKit.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace EventKit.Redis.Tests;

/// <summary>
/// The check-in rules through Redis faults, on two nodes sharing one PostgreSQL database and a private redis-server:
/// PostgreSQL is the authority whenever the claims cannot vouch for what the other node did.
/// </summary>
public sealed class ClaimsFaultTests : IAsyncLifetime
{
    private const int Participants = 30;
    private readonly PostgresFixture _database = new();
    private DedicatedRedisServer? _redis;
    private IHost? _a;
    private IHost? _b;
    private long _gate;
    private readonly List<string> _tokens = [];
    private readonly ListLogger _logs = new() { MinimumLevel = LogLevel.Warning };

    public async Task InitializeAsync()
    {
        await _database.InitializeAsync();
        _redis = await DedicatedRedisServer.StartNewAsync();
        _a = await StartNodeAsync();
        _b = await StartNodeAsync();
        _gate = (await _a.Services.GetRequiredService<IGateRegistry>().CreateAsync(1, "Main", GateKind.Entrance, isOpen: true)).Id;
        var participants = new List<NewParticipant>();
        for (var i = 0; i < Participants; i++)
        {
            var token = "T" + Guid.NewGuid().ToString("N");
            _tokens.Add(token);
            participants.Add(new NewParticipant($"P{i}", token));
        }

        await _a.Services.GetRequiredService<IParticipantRegistry>().RegisterAsync(1, participants);
    }

    public async Task DisposeAsync()
    {
        foreach (var host in new[] { _a, _b })
        {
            if (host is not null)
            {
                await host.StopAsync();
                host.Dispose();
            }
        }

        if (_redis is not null)
        {
            await _redis.DisposeAsync();
        }

        await _database.DisposeAsync();
    }

    [Fact]
    public async Task Redis_killed_and_restarted_empty_during_a_wave_readmits_nobody_on_either_node()
    {
        // The wave's first scans go through Redis.
        var first = await Task.WhenAll(_tokens.Select((t, i) => Node(i).CheckInAsync(CheckInRequest.ForToken(_gate, t)).AsTask()));
        Assert.All(first, r => Assert.Equal(CheckInStatus.Admitted, r.Status));

        // Redis dies and comes back empty (no persistence) while both nodes keep scanning the same people.
        var outcomes = new ConcurrentBag<CheckInStatus>();
        using var stop = new CancellationTokenSource();
        var scanners = Enumerable.Range(0, 4).Select(s => ScanAsync(s, outcomes, stop.Token)).ToArray();
        await Task.Delay(300);
        await _redis!.StopAsync();
        await Task.Delay(1_500);
        await _redis.StartAsync();
        await Eventually.TrueAsync(() => outcomes.Count > 200 && _a!.Services.GetRequiredService<IRedisConnection>().IsConnected && _b!.Services.GetRequiredService<IRedisConnection>().IsConnected, "both nodes are back on Redis", TimeSpan.FromSeconds(30));
        await Task.Delay(1_000);
        await stop.CancelAsync();
        await Task.WhenAll(scanners);

        Assert.DoesNotContain(CheckInStatus.Admitted, outcomes);
        Assert.Contains(CheckInStatus.Duplicate, outcomes);
        Assert.Equal(Participants, await CountAsync());
        Assert.True(_a!.Services.GetRequiredService<IRedisConnection>().DataLossCount + _b!.Services.GetRequiredService<IRedisConnection>().DataLossCount >= 1);
    }

    [Fact]
    public async Task A_paused_redis_neither_readmits_nor_hangs_and_check_ins_resume()
    {
        var first = await Task.WhenAll(_tokens.Take(10).Select((t, i) => Node(i).CheckInAsync(CheckInRequest.ForToken(_gate, t)).AsTask()));
        Assert.All(first, r => Assert.Equal(CheckInStatus.Admitted, r.Status));

        await _redis!.PauseAsync();
        try
        {
            // During the stall: the ten already admitted are duplicates, the others are admitted once, on either node.
            var during = await Task.WhenAll(_tokens.Select((t, i) => Node(i + 1).CheckInAsync(CheckInRequest.ForToken(_gate, t)).AsTask()));
            Assert.All(during.Take(10), r => Assert.Equal(CheckInStatus.Duplicate, r.Status));
            Assert.All(during.Skip(10), r => Assert.Equal(CheckInStatus.Admitted, r.Status));
        }
        finally
        {
            await _redis.ResumeAsync();
        }

        // After the stall every scan is a duplicate again, on both nodes, whichever node admitted during it.
        var after = await Task.WhenAll(_tokens.Select((t, i) => Node(i).CheckInAsync(CheckInRequest.ForToken(_gate, t)).AsTask()));
        Assert.All(after, r => Assert.Equal(CheckInStatus.Duplicate, r.Status));
        Assert.Equal(Participants, await CountAsync());
    }

    [Fact]
    public async Task A_request_id_replayed_after_redis_lost_its_data_gets_the_first_admission()
    {
        var requestId = Guid.CreateVersion7();
        var first = await Node(0).CheckInAsync(CheckInRequest.ForToken(_gate, _tokens[0], requestId: requestId));
        Assert.Equal(CheckInStatus.Admitted, first.Status);

        // Before the fault the fast path works: Redis answered every claim (no fallback was logged).
        Assert.Equal(first, await Node(1).CheckInAsync(CheckInRequest.ForToken(_gate, _tokens[0], requestId: requestId)));
        Assert.DoesNotContain(_logs.Entries, e => e.EventId.Id == 7010);

        await _redis!.StopAsync();
        await _redis.StartAsync();
        await Eventually.TrueAsync(() => _b!.Services.GetRequiredService<IRedisConnection>().IsConnected, "node B reconnects", TimeSpan.FromSeconds(30));

        var replay = await Node(1).CheckInAsync(CheckInRequest.ForToken(_gate, _tokens[0], requestId: requestId));

        Assert.Equal(first, replay);
        Assert.Equal(1, await CountAsync());
    }

    private ICheckInService Node(int i) => (i % 2 == 0 ? _a! : _b!).Services.GetRequiredService<ICheckInService>();

    private async Task ScanAsync(int scanner, ConcurrentBag<CheckInStatus> outcomes, CancellationToken stop)
    {
        var i = scanner;
        while (!stop.IsCancellationRequested)
        {
            var result = await Node(i).CheckInAsync(CheckInRequest.ForToken(_gate, _tokens[i % Participants]));
            outcomes.Add(result.Status);
            Assert.True(result.Status is CheckInStatus.Duplicate or CheckInStatus.Unavailable, $"scan {i}: {result.Status}");
            i += 4;
        }
    }

    private Task<IHost> StartNodeAsync() => ClaimsNodes.StartAsync(
        _database,
        _logs,
        _redis!.Configuration,
        o =>
        {
            o.Timeout = TimeSpan.FromMilliseconds(300);
            o.CircuitBreakDuration = TimeSpan.FromMilliseconds(500);
        },
        o => o.DataLossCheckInterval = TimeSpan.FromMilliseconds(200));

    private Task<long> CountAsync() => ClaimsNodes.CountAsync(_database, _gate);
}
