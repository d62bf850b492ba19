using System.Collections.Concurrent;
using System.Globalization;
using Microsoft.Extensions.Logging;

namespace EventKit.Scaling.Internal;

/// <summary>
/// Per-gate Redis leases (<see cref="ILeaseProvider"/>, fencing token per holder) for the gates rendezvous hashing gives
/// this node. A gate is taken on its first check-in here, renewed every heartbeat (<see cref="RenewOnceAsync"/>) and
/// decided locally only while <c>now &lt; sent + GateLeaseDuration − GateLeaseSafetyMargin</c> by this node's monotonic
/// clock, where <c>sent</c> is when the last successful acquire/renew left (Redis's expiry is later still). When the hash
/// moves the gate away, the node stops deciding at once and releases the lease one safety margin after its last decision
/// (so its last durable write has ended before anyone else may take the gate); a node that dies simply lets it expire.
/// </summary>
internal sealed class GateLeaseManager(ILeaseProvider leases, IGateOwnership ownership, string localNodeId, ScalingOptions options, TimeProvider time, ILogger logger) : IGateLeases
{
    private readonly ConcurrentDictionary<long, Entry> _gates = new();

    public async ValueTask<GateLeaseStatus> EnsureAsync(long gateId, CancellationToken cancellationToken = default)
    {
        if (!ownership.IsOwnedLocally(gateId))
        {
            if (_gates.TryGetValue(gateId, out var moving))
            {
                StopDeciding(gateId, moving);
            }

            var owner = ownership.OwnerOf(gateId);
            return owner is null || string.Equals(owner, localNodeId, StringComparison.Ordinal)
                ? new GateLeaseStatus(GateLeaseState.Pending)
                : new GateLeaseStatus(GateLeaseState.OwnedElsewhere, owner);
        }

        var entry = _gates.GetOrAdd(gateId, static _ => new Entry());
        if (IsValid(entry))
        {
            return new GateLeaseStatus(GateLeaseState.Held);
        }

        if (time.GetTimestamp() < Volatile.Read(ref entry.NextAttempt))
        {
            return new GateLeaseStatus(GateLeaseState.Pending);
        }

        await entry.Lock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (!IsValid(entry) && time.GetTimestamp() >= Volatile.Read(ref entry.NextAttempt))
            {
                await AcquireAsync(gateId, entry, cancellationToken).ConfigureAwait(false);
            }
        }
        finally
        {
            entry.Lock.Release();
        }

        return new GateLeaseStatus(IsValid(entry) && ownership.IsOwnedLocally(gateId) ? GateLeaseState.Held : GateLeaseState.Pending);
    }

    public bool IsHeld(long gateId) => _gates.TryGetValue(gateId, out var entry) && IsValid(entry) && ownership.IsOwnedLocally(gateId);

    /// <summary>
    /// Whether this node may decide <paramref name="gateId"/> now and, if so, since when it holds the lease without a
    /// break (by the monotonic clock and by the wall clock). Records the decision, so a release waits for its write.
    /// </summary>
    public bool TryDecide(long gateId, out long heldSince, out DateTimeOffset heldSinceUtc)
    {
        if (_gates.TryGetValue(gateId, out var entry) && IsValid(entry) && ownership.IsOwnedLocally(gateId))
        {
            Volatile.Write(ref entry.LastDecision, time.GetTimestamp());
            lock (entry)
            {
                heldSince = entry.HeldSince;
                heldSinceUtc = entry.HeldSinceUtc;
            }

            return true;
        }

        heldSince = 0;
        heldSinceUtc = default;
        return false;
    }

    /// <summary>One renewal round: renews every lease still owned, stops deciding moved gates and releases them once their last decision's write has ended.</summary>
    public async Task RenewOnceAsync(CancellationToken cancellationToken)
    {
        foreach (var (gateId, entry) in _gates)
        {
            if (!ownership.IsOwnedLocally(gateId))
            {
                StopDeciding(gateId, entry);
                var releaseAt = Volatile.Read(ref entry.LastDecision) + Ticks(options.GateLeaseSafetyMargin);
                if (time.GetTimestamp() >= releaseAt && _gates.TryRemove(new KeyValuePair<long, Entry>(gateId, entry)))
                {
                    await ReleaseAsync(gateId, entry, cancellationToken).ConfigureAwait(false);
                }

                continue;
            }

            if (entry.Lease is null)
            {
                continue;
            }

            await entry.Lock.WaitAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                await AcquireAsync(gateId, entry, cancellationToken).ConfigureAwait(false);
            }
            finally
            {
                entry.Lock.Release();
            }
        }
    }

    /// <summary>At shutdown: stops deciding every gate; releases the leases whose last decision is one safety margin old (the others expire).</summary>
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        foreach (var (gateId, entry) in _gates)
        {
            Volatile.Write(ref entry.ValidUntil, 0);
            if (time.GetTimestamp() >= Volatile.Read(ref entry.LastDecision) + Ticks(options.GateLeaseSafetyMargin) && _gates.TryRemove(new KeyValuePair<long, Entry>(gateId, entry)))
            {
                await ReleaseAsync(gateId, entry, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    private async Task AcquireAsync(long gateId, Entry entry, CancellationToken cancellationToken)
    {
        var sent = time.GetTimestamp();
        var lease = await leases.TryAcquireAsync(LeaseName(gateId), options.GateLeaseDuration, cancellationToken).ConfigureAwait(false);
        if (lease is null)
        {
            if (entry.Lease is not null)
            {
                Log.GateLeaseRenewFailed(logger, gateId);
            }

            // Held elsewhere or Redis did not answer: try again after a heartbeat, not on every check-in.
            Volatile.Write(ref entry.NextAttempt, sent + Ticks(options.HeartbeatInterval));
            return;
        }

        lock (entry)
        {
            if (entry.Lease is null || entry.Lease.Token != lease.Token)
            {
                // A new holding (first take, or the lease expired in Redis and may have been held elsewhere meanwhile):
                // PostgreSQL decides this gate for one re-entry window from now.
                entry.HeldSince = sent;
                entry.HeldSinceUtc = time.GetUtcNow();
                Log.GateLeaseAcquired(logger, gateId, lease.Token);
            }

            entry.Lease = lease;
        }

        Volatile.Write(ref entry.ValidUntil, sent + Ticks(options.GateLeaseDuration - options.GateLeaseSafetyMargin));
    }

    private void StopDeciding(long gateId, Entry entry)
    {
        if (Interlocked.Exchange(ref entry.ValidUntil, 0) != 0)
        {
            Log.GateMovedAway(logger, gateId, ownership.OwnerOf(gateId));
        }
    }

    private async Task ReleaseAsync(long gateId, Entry entry, CancellationToken cancellationToken)
    {
        if (entry.Lease is { } lease)
        {
            var released = await leases.ReleaseAsync(lease, cancellationToken).ConfigureAwait(false);
            Log.GateLeaseReleased(logger, gateId, released);
        }
    }

    private bool IsValid(Entry entry) => time.GetTimestamp() < Volatile.Read(ref entry.ValidUntil);

    private long Ticks(TimeSpan span) => (long)(span.TotalSeconds * time.TimestampFrequency);

    internal static string LeaseName(long gateId) => "gate:" + gateId.ToString(CultureInfo.InvariantCulture);

    private sealed class Entry
    {
        public readonly SemaphoreSlim Lock = new(1, 1);
        public FencedLease? Lease;
        public long ValidUntil;
        public long NextAttempt;
        public long LastDecision;
        public long HeldSince;
        public DateTimeOffset HeldSinceUtc;
    }
}
