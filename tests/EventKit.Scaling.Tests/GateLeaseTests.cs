using EventKit.Scaling.Internal;
using EventKit.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace EventKit.Scaling.Tests;

/// <summary>
/// Gate leases of the gate-owned fast path on a real Redis with a fake clock: a gate leased elsewhere is not taken; the
/// memory vouches only after one re-entry window of holding and only for check-ins from after the holding began; a
/// lease not renewed stops local decisions by the node's own clock; a moved gate is released one safety margin after
/// its last decision.
/// </summary>
public sealed class GateLeaseTests(RedisFixture redis) : IClassFixture<RedisFixture>
{
    private static readonly TimeSpan Window = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task Leases_gate_local_decisions_and_PostgreSQL_decides_whenever_the_memory_cannot_vouch()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        using var a = ScalingNodes.Host(redis, "lease-a", time: time, scope: "gatelease");
        using var b = ScalingNodes.Host(redis, "lease-b", time: time, scope: "gatelease");
        await a.Services.GetRequiredService<EventKit.Redis.IRedisConnection>().ConnectAsync();
        await b.Services.GetRequiredService<EventKit.Redis.IRedisConnection>().ConnectAsync();
        var options = new ScalingOptions { GateLeaseDuration = TimeSpan.FromSeconds(20), GateLeaseSafetyMargin = TimeSpan.FromSeconds(15), HeartbeatInterval = TimeSpan.FromSeconds(1) };
        var ownership = new FixedOwnership("lease-a");
        var leases = new GateLeaseManager(a.Services.GetRequiredService<ILeaseProvider>(), ownership, "lease-a", options, time, NullLogger.Instance);
        var claims = new GateOwnedCheckInClaims(CheckInClaims.CreateInMemory(time, 1000), leases, Window, time);
        var gate = Random.Shared.NextInt64(1, long.MaxValue);
        var other = b.Services.GetRequiredService<ILeaseProvider>();

        // Another node still holds the gate's lease: not taken, nothing decided in memory.
        var held = await other.TryAcquireAsync(GateLeaseManager.LeaseName(gate), options.GateLeaseDuration);
        Assert.NotNull(held);
        Assert.Equal(GateLeaseState.Pending, (await leases.EnsureAsync(gate)).State);
        Assert.True((await StartAsync(claims, time, gate, participant: 1)).Unverified);

        // Released: taken at the next attempt; PostgreSQL still decides for one re-entry window.
        Assert.True(await other.ReleaseAsync(held!));
        time.Advance(options.HeartbeatInterval);
        Assert.Equal(GateLeaseState.Held, (await leases.EnsureAsync(gate)).State);
        var since = time.GetUtcNow();
        Assert.True((await StartAsync(claims, time, gate, participant: 2)).Unverified);
        for (var renewed = TimeSpan.Zero; renewed <= Window; renewed += TimeSpan.FromSeconds(4))
        {
            time.Advance(TimeSpan.FromSeconds(4));
            await leases.RenewOnceAsync(CancellationToken.None);
        }

        // Held for a window: the memory vouches and decides a second scan as a duplicate, except for a check-in from
        // before the holding began (an offline upload the previous owner may have decided).
        var fresh = await StartAsync(claims, time, gate, participant: 3);
        Assert.Equal(AdmissionStartState.Started, fresh.State);
        Assert.False(fresh.Unverified);
        Assert.Equal(AdmissionStartState.Held, (await StartAsync(claims, time, gate, participant: 3)).State);
        Assert.True((await StartAsync(claims, time, gate, participant: 4, occurredAt: since - TimeSpan.FromSeconds(1))).Unverified);

        // No renewal (Redis gone, loop stalled): local decisions stop by this node's clock, one margin before Redis's expiry.
        time.Advance(options.GateLeaseDuration - options.GateLeaseSafetyMargin);
        Assert.False(leases.IsHeld(gate));
        Assert.True((await StartAsync(claims, time, gate, participant: 5)).Unverified);
        Assert.Equal(GateLeaseState.Held, (await leases.EnsureAsync(gate)).State);

        // That late renewal, taken again inside a check-in while Redis still held the lease for this node, kept its token:
        // the holding did not change, so the memory vouches at once (no new re-entry window for PostgreSQL to decide).
        Assert.False((await StartAsync(claims, time, gate, participant: 7)).Unverified);

        // The gate moves: this node stops deciding at once, and releases the lease one safety margin after its last decision.
        ownership.Owner = "lease-b";
        Assert.Equal(new GateLeaseStatus(GateLeaseState.OwnedElsewhere, "lease-b"), await leases.EnsureAsync(gate));
        Assert.False(leases.IsHeld(gate));
        Assert.True((await StartAsync(claims, time, gate, participant: 6)).Unverified);
        await leases.RenewOnceAsync(CancellationToken.None);
        Assert.Null(await other.TryAcquireAsync(GateLeaseManager.LeaseName(gate), options.GateLeaseDuration));
        time.Advance(options.GateLeaseSafetyMargin);
        await leases.RenewOnceAsync(CancellationToken.None);
        var successor = await other.TryAcquireAsync(GateLeaseManager.LeaseName(gate), options.GateLeaseDuration);
        Assert.NotNull(successor);
        await other.ReleaseAsync(successor!);
    }

    private static ValueTask<AdmissionStart> StartAsync(GateOwnedCheckInClaims claims, TimeProvider time, long gate, long participant, DateTimeOffset? occurredAt = null)
        => claims.TryStartAdmissionAsync(Guid.NewGuid(), TimeSpan.FromSeconds(30), participant, gate, new PassageClaim(Guid.NewGuid(), occurredAt ?? time.GetUtcNow()), Window, TimeSpan.FromHours(1));

    private sealed class FixedOwnership(string owner) : IGateOwnership
    {
        public string Owner { get; set; } = owner;

        public string? OwnerOf(long gateId) => Owner;

        public bool IsOwnedLocally(long gateId) => Owner == "lease-a";
    }
}
