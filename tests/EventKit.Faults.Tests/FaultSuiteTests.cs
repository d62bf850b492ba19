using Xunit.Abstractions;

namespace EventKit.Faults.Tests;

/// <summary>
/// The fault suite (docs/operations.md, "The fault suite"): each scenario drives check-ins from 24 scanners into the
/// sample host (a child process) while a fault hits the host, PostgreSQL, Redis or the network between them, then
/// checks (a) every 201 is in PostgreSQL, (b) no passage admitted twice inside the re-entry window, (c) no request id
/// with two records, (d) only decisions or 503/429 with Retry-After, never a 500 or a hang, and (e) recovery.
/// Figures go to artifacts/faults/results.md. <c>EVENTKIT_FAULTS_LONG=1</c> runs longer phases and faults.
/// </summary>
public sealed class FaultSuiteTests(FaultRig rig, ITestOutputHelper output) : IClassFixture<FaultRig>
{
    private static readonly TimeSpan Scale = TimeSpan.FromSeconds(FaultRig.Long ? 3 : 1);

    [Fact]
    public async Task Host_killed_with_SIGKILL_and_restarted()
    {
        // Durability: a 201 is sent after COMMIT, so a host killed mid-wave loses none of them (fsync on).
        var figures = await Scenario().RunAsync("host-sigkill-restart", hosts: 1, hostGoesDown: true, async s =>
        {
            await s.Hosts[0].KillAsync();
            s.FaultEnded();
            await s.Hosts[0].StartAsync();
        });

        Assert.True(figures.Fsync, "the durability scenarios run with fsync=on");
        Assert.True(figures.Unreachable > 0, "the kill was not seen by any scanner");
    }

    [Fact]
    public async Task PostgreSQL_restarted_in_immediate_mode()
    {
        var figures = await Scenario().RunAsync("postgres-immediate-restart", hosts: 1, hostGoesDown: false, async s =>
        {
            await s.Rig.Postgres.StopAsync();
            await s.Rig.Postgres.StartAsync();
        });

        Assert.True(figures.Fsync, "the durability scenarios run with fsync=on");
    }

    [Fact]
    public async Task PostgreSQL_stopped_for_20_seconds()
    {
        var figures = await Scenario().RunAsync("postgres-stopped-20s", hosts: 1, hostGoesDown: false, async s =>
        {
            await s.Rig.Postgres.StopAsync();
            await Task.Delay(TimeSpan.FromSeconds(20) * Scale.TotalSeconds);
            await s.Rig.Postgres.StartAsync();
        });

        // Admissions cannot be decided without the authority: they were refused with 503, not guessed.
        Assert.True(figures.Unavailable > 0, "nothing was refused with 503 while PostgreSQL was down");
    }

    [Fact]
    public async Task Redis_killed_and_restarted_empty()
    {
        await Scenario().RunAsync("redis-sigkill-restart-empty", hosts: 1, hostGoesDown: false, KillRedisAndRestartEmptyAsync);
    }

    [Fact]
    public async Task Redis_paused_with_SIGSTOP_for_5_seconds()
    {
        await Scenario().RunAsync("redis-sigstop-5s", hosts: 1, hostGoesDown: false, async s =>
        {
            await s.Rig.Redis.PauseAsync();
            try
            {
                await Task.Delay(TimeSpan.FromSeconds(5) * Scale.TotalSeconds);
            }
            finally
            {
                await s.Rig.Redis.ResumeAsync();
            }
        });
    }

    [Fact]
    public async Task Two_hosts_admit_the_same_participants_while_Redis_is_killed_and_restarted_empty()
    {
        await Scenario().RunAsync("two-hosts-redis-sigkill", hosts: 2, hostGoesDown: false, KillRedisAndRestartEmptyAsync);
    }

    [Fact]
    public async Task Slow_network_to_PostgreSQL_then_dropped_connections()
    {
        var dropped = 0;
        await Scenario().RunAsync("slow-network-postgres", hosts: 1, hostGoesDown: false, async s =>
        {
            dropped = await SlowThenDropAsync(s.Rig.PostgresProxy);
        });

        Assert.True(dropped > 0, "no connection to PostgreSQL was open to drop");
    }

    [Fact]
    public async Task Slow_network_to_Redis_then_dropped_connections()
    {
        var dropped = 0;
        await Scenario().RunAsync("slow-network-redis", hosts: 1, hostGoesDown: false, async s =>
        {
            dropped = await SlowThenDropAsync(s.Rig.RedisProxy);
        });

        Assert.True(dropped > 0, "no connection to Redis was open to drop");
    }

    /// <summary>SIGKILL, 2 s down, then a new redis-server with no data (as a failover that lost recent writes).</summary>
    private static async Task KillRedisAndRestartEmptyAsync(FaultScenario s)
    {
        await s.Rig.Redis.StopAsync();
        await Task.Delay(TimeSpan.FromSeconds(2) * Scale.TotalSeconds);
        await s.Rig.Redis.StartAsync();
    }

    /// <summary>200 ms each way for a phase, then every connection reset and new ones refused for 2 s, then healed.</summary>
    private static async Task<int> SlowThenDropAsync(Testing.TcpProxy proxy)
    {
        proxy.Latency = TimeSpan.FromMilliseconds(200);
        await Task.Delay(FaultScenario.Phase);
        proxy.RefuseNewConnections = true;
        var dropped = proxy.DropAll();
        await Task.Delay(TimeSpan.FromSeconds(2) * Scale.TotalSeconds);
        proxy.Heal();
        return dropped;
    }

    private FaultScenario Scenario() => new(rig, output);
}
