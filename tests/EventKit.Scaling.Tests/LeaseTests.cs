using System.Diagnostics;
using EventKit.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Xunit.Abstractions;

namespace EventKit.Scaling.Tests;

public sealed class LeaseTests(RedisFixture redis, ITestOutputHelper output) : IClassFixture<RedisFixture>
{
    [Fact]
    public async Task Tokens_increase_with_every_new_holder_and_a_holder_renews_with_its_own()
    {
        using var a = ScalingNodes.Host(redis, "lease-a", scope: "lease");
        using var b = ScalingNodes.Host(redis, "lease-b", scope: "lease");
        var leasesA = a.Services.GetRequiredService<ILeaseProvider>();
        var leasesB = b.Services.GetRequiredService<ILeaseProvider>();
        await a.Services.GetRequiredService<EventKit.Redis.IRedisConnection>().ConnectAsync();
        await b.Services.GetRequiredService<EventKit.Redis.IRedisConnection>().ConnectAsync();

        var first = await leasesA.TryAcquireAsync("job", TimeSpan.FromSeconds(30));
        Assert.NotNull(first);
        Assert.Null(await leasesB.TryAcquireAsync("job", TimeSpan.FromSeconds(30)));
        Assert.Equal(first.Token, (await leasesA.TryAcquireAsync("job", TimeSpan.FromSeconds(30)))!.Token);

        Assert.True(await leasesA.ReleaseAsync(first));
        var second = await leasesB.TryAcquireAsync("job", TimeSpan.FromSeconds(30));
        Assert.NotNull(second);
        Assert.True(second.Token > first.Token);
        Assert.False(await leasesA.ReleaseAsync(first)); // not its lease any more
    }

    [Fact]
    public async Task Split_brain_an_old_leader_with_a_stale_token_is_refused_by_the_target()
    {
        using var a = ScalingNodes.Host(redis, "brain-a", scope: "brain");
        using var b = ScalingNodes.Host(redis, "brain-b", scope: "brain");
        await a.Services.GetRequiredService<EventKit.Redis.IRedisConnection>().ConnectAsync();
        await b.Services.GetRequiredService<EventKit.Redis.IRedisConnection>().ConnectAsync();
        var guard = b.Services.GetRequiredService<IFencingGuard>();

        // A leads and acts; then it "pauses" (a GC pause, a partition) past its lease without knowing.
        var old = await a.Services.GetRequiredService<ILeaseProvider>().TryAcquireAsync("leader", TimeSpan.FromMilliseconds(500));
        Assert.NotNull(old);
        Assert.True(await guard.TryAcceptAsync("scale-target", old.Token));

        FencedLease? successor = null;
        await Eventually.TrueAsync(
            async () => (successor = await b.Services.GetRequiredService<ILeaseProvider>().TryAcquireAsync("leader", TimeSpan.FromSeconds(30))) is not null,
            "B takes the expired lease");
        Assert.True(successor!.Token > old.Token);
        Assert.True(await guard.TryAcceptAsync("scale-target", successor.Token));

        // A wakes up and still believes it leads: the target refuses its token.
        Assert.False(await a.Services.GetRequiredService<IFencingGuard>().TryAcceptAsync("scale-target", old.Token));
        Assert.True(await guard.TryAcceptAsync("scale-target", successor.Token));
    }

    [Fact]
    public async Task A_leader_that_cannot_renew_stops_leading_when_its_lease_runs_out_by_its_own_clock()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        using var node = ScalingNodes.Host(redis, "clocked", time: time, scope: "clocked");
        await node.Services.GetRequiredService<EventKit.Redis.IRedisConnection>().ConnectAsync();
        var elector = node.Services.GetRequiredService<Internal.LeaderElector>();
        await elector.RunOnceAsync(CancellationToken.None);
        Assert.True(elector.IsLeader);
        var changes = new List<bool>();
        elector.LeadershipChanged += (_, leading) => changes.Add(leading);

        // No renewal (Redis unreachable, or the loop stalled): within the lease it still leads, after it it does not.
        time.Advance(TimeSpan.FromSeconds(4.9));
        Assert.True(elector.IsLeader);
        time.Advance(TimeSpan.FromSeconds(0.2));
        Assert.False(elector.IsLeader);
        Assert.Null(elector.Lease);
        elector.Observe();
        Assert.Equal([false], changes);
        await elector.ResignAsync(CancellationToken.None);
    }

    [Fact]
    public async Task Failover_a_new_leader_acts_within_ten_seconds_after_the_leader_process_is_killed()
    {
        using var child = ScalingNodes.StartProcess(redis, "leader-victim", TimeSpan.FromSeconds(5), "failover");
        var acted = new TaskCompletionSource<long>(TaskCreationOptions.RunContinuationsAsynchronously);
        using var survivor = ScalingNodes.Host(redis, "leader-survivor", scope: "failover");
        var elector = survivor.Services.GetRequiredService<ILeaderElection>();
        var guard = survivor.Services.GetRequiredService<IFencingGuard>();
        try
        {
            await survivor.Services.GetRequiredService<EventKit.Redis.IRedisConnection>().ConnectAsync();
            var db = redis.Connection.GetDatabase();
            var leaseKey = redis.KeyPrefix + "failover:lease:{leader}";
            await Eventually.TrueAsync(async () => ((string?)await db.StringGetAsync(leaseKey))?.StartsWith("leader-victim|", StringComparison.Ordinal) == true, "the child process leads", TimeSpan.FromSeconds(60));
            var victimToken = long.Parse(((string)(await db.StringGetAsync(leaseKey))!).Split('|')[1], System.Globalization.CultureInfo.InvariantCulture);
            Assert.True(await guard.TryAcceptAsync("maintenance", victimToken));

            elector.LeadershipChanged += async (_, leading) =>
            {
                if (leading && elector.Lease is { } lease && await guard.TryAcceptAsync("maintenance", lease.Token))
                {
                    acted.TrySetResult(lease.Token);
                }
            };
            await survivor.StartAsync();
            Assert.False(elector.IsLeader);

            var clock = Stopwatch.StartNew();
            child.Kill();
            var token = await acted.Task.WaitAsync(TimeSpan.FromSeconds(30));
            var failover = clock.Elapsed;
            output.WriteLine($"failover: the survivor acted {failover.TotalSeconds:0.00} s after the leader was killed (lease 5 s, renewal every {5 / 3.0:0.00} s)");
            Assert.True(token > victimToken);
            Assert.True(failover < TimeSpan.FromSeconds(10), $"failover took {failover.TotalSeconds:0.00} s");
        }
        finally
        {
            if (!child.HasExited)
            {
                child.Kill();
            }

            await survivor.StopAsync();
        }
    }
}
