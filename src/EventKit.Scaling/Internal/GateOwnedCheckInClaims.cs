namespace EventKit.Scaling.Internal;

/// <summary>
/// The gate-owned fast path's claims (<c>.AddGateOwnedCheckInClaims()</c>): anti-passback and request ids are kept in
/// this node's memory (Core's in-memory claims, with their capacity and eviction), never in Redis. The memory vouches
/// for a free passage or a new request id only when all of these hold; otherwise it answers <c>Unverified</c> and the
/// pipeline lets PostgreSQL decide under the passage lock (the degraded path):
/// <list type="bullet">
/// <item>this node holds the gate's lease now (<see cref="GateLeaseManager.TryDecide"/>) — the HTTP layer passes
/// check-ins for other gates to their owner, so this covers only calls that lost the lease on the way;</item>
/// <item>it has held it without a break for one re-entry window: everything a previous owner admitted within the window
/// is then either in PostgreSQL (its writes ended one safety margin before its lease could expire) or older than the
/// window;</item>
/// <item>the check-in happened after the holding began (an offline upload or a late retry from before may have been
/// decided by the previous owner).</item>
/// </list>
/// Request ids without a gate (refusals) are always unverified: PostgreSQL is asked whether the id was admitted.
/// </summary>
internal sealed class GateOwnedCheckInClaims(ICheckInClaims memory, GateLeaseManager leases, TimeSpan reEntryWindow, TimeProvider time) : ICheckInClaims
{
    public async ValueTask<AdmissionStart> TryStartAdmissionAsync(Guid requestId, TimeSpan lease, long participantId, long gateId, PassageClaim claim, TimeSpan window, TimeSpan retention, CancellationToken cancellationToken = default)
    {
        var start = await memory.TryStartAdmissionAsync(requestId, lease, participantId, gateId, claim, window, retention, cancellationToken).ConfigureAwait(false);
        return start.State == AdmissionStartState.Started && !start.Unverified && !Vouches(gateId, claim.OccurredAt) ? start with { Unverified = true } : start;
    }

    public ValueTask<PassageClaim?> TryClaimPassageAsync(long participantId, long gateId, PassageClaim claim, TimeSpan window, CancellationToken cancellationToken = default)
        => memory.TryClaimPassageAsync(participantId, gateId, claim, window, cancellationToken);

    public async ValueTask<PassageClaimResult> TryClaimPassageCheckedAsync(long participantId, long gateId, PassageClaim claim, TimeSpan window, CancellationToken cancellationToken = default)
    {
        var result = await memory.TryClaimPassageCheckedAsync(participantId, gateId, claim, window, cancellationToken).ConfigureAwait(false);
        return result.Holder is null && !result.Unverified && !Vouches(gateId, claim.OccurredAt) ? result with { Unverified = true } : result;
    }

    public ValueTask ReleasePassageAsync(long participantId, long gateId, Guid recordId, CancellationToken cancellationToken = default)
        => memory.ReleasePassageAsync(participantId, gateId, recordId, cancellationToken);

    public async ValueTask<RequestStart> TryStartRequestAsync(Guid requestId, TimeSpan lease, CancellationToken cancellationToken = default)
    {
        var start = await memory.TryStartRequestAsync(requestId, lease, cancellationToken).ConfigureAwait(false);
        return start.State == RequestStartState.Started ? start with { Unverified = true } : start;
    }

    public ValueTask SaveAnswerAsync(Guid requestId, CheckInResult answer, TimeSpan retention, CancellationToken cancellationToken = default)
        => memory.SaveAnswerAsync(requestId, answer, retention, cancellationToken);

    public ValueTask AbandonRequestAsync(Guid requestId, bool outcomeUnknown = false, CancellationToken cancellationToken = default)
        => memory.AbandonRequestAsync(requestId, outcomeUnknown, cancellationToken);

    /// <summary>Whether this node's memory can vouch for gate <paramref name="gateId"/> (see the class remarks).</summary>
    internal bool Vouches(long gateId, DateTimeOffset occurredAt)
        => leases.TryDecide(gateId, out var heldSince, out var heldSinceUtc)
            && time.GetElapsedTime(heldSince) >= reEntryWindow
            && occurredAt >= heldSinceUtc;
}
