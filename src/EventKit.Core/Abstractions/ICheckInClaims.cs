namespace EventKit;

/// <summary>
/// The shared state that makes check-ins safe across app nodes: anti-passback claims per
/// (participant, gate) and remembered answers per request id.
/// </summary>
/// <remarks>
/// EventKit.Core registers a per-process implementation; EventKit.Caching replaces it with one over
/// Redis (atomic <c>SET NX PX</c>) that falls back to the per-process one while Redis is unreachable,
/// so that a single node keeps its guarantees during a Redis outage.
/// </remarks>
public interface ICheckInClaims
{
    /// <summary>Claims the passage of a participant through a gate for <paramref name="window"/>.</summary>
    /// <param name="participantId">The participant.</param>
    /// <param name="gateId">The gate.</param>
    /// <param name="claim">The record this caller is about to write.</param>
    /// <param name="window">How long the claim holds (the re-entry window).</param>
    /// <param name="cancellationToken">Cancels the claim.</param>
    /// <returns><see langword="null"/> when the caller now holds the claim; otherwise the claim that was already held.</returns>
    ValueTask<PassageClaim?> TryClaimPassageAsync(long participantId, long gateId, PassageClaim claim, TimeSpan window, CancellationToken cancellationToken = default);

    /// <summary>
    /// <see cref="TryClaimPassageAsync"/>, also saying whether the store can vouch for what other nodes did. The default
    /// vouches: a store that can lose what other nodes claimed (a fallback, a cold start, a Redis found empty) overrides it.
    /// </summary>
    /// <param name="participantId">The participant.</param>
    /// <param name="gateId">The gate.</param>
    /// <param name="claim">The record that would hold the passage.</param>
    /// <param name="window">How long the passage stays claimed.</param>
    /// <param name="cancellationToken">Stops waiting.</param>
    /// <returns>The holder, if any, and whether a free passage is verified.</returns>
    async ValueTask<PassageClaimResult> TryClaimPassageCheckedAsync(long participantId, long gateId, PassageClaim claim, TimeSpan window, CancellationToken cancellationToken = default)
        => new(await TryClaimPassageAsync(participantId, gateId, claim, window, cancellationToken).ConfigureAwait(false));

    /// <summary>Releases a claim this caller holds (its record could not be written), so a retry can be admitted.</summary>
    ValueTask ReleasePassageAsync(long participantId, long gateId, Guid recordId, CancellationToken cancellationToken = default);

    /// <summary>Starts handling a request id, or reports that it is answered or being handled elsewhere.</summary>
    /// <param name="requestId">The client's idempotency key.</param>
    /// <param name="lease">How long the start holds if the handler dies before answering.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    ValueTask<RequestStart> TryStartRequestAsync(Guid requestId, TimeSpan lease, CancellationToken cancellationToken = default);

    /// <summary>
    /// Starts a request that is about to admit someone and claims the passage, in one step: one round trip
    /// to a shared store instead of three (start, claim, store the duplicate answer). When the passage is
    /// held by another record, the duplicate answer is stored for <paramref name="requestId"/> before returning.
    /// </summary>
    /// <param name="requestId">The client's idempotency key.</param>
    /// <param name="lease">How long the start holds if the handler dies before answering.</param>
    /// <param name="participantId">The participant.</param>
    /// <param name="gateId">The gate.</param>
    /// <param name="claim">The record this caller is about to write.</param>
    /// <param name="window">The re-entry window; zero claims no passage.</param>
    /// <param name="retention">How long a stored answer is kept.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <remarks>The default composes the other members; stores with round trips should do it atomically.</remarks>
    async ValueTask<AdmissionStart> TryStartAdmissionAsync(Guid requestId, TimeSpan lease, long participantId, long gateId, PassageClaim claim, TimeSpan window, TimeSpan retention, CancellationToken cancellationToken = default)
    {
        var start = await TryStartRequestAsync(requestId, lease, cancellationToken).ConfigureAwait(false);
        switch (start.State)
        {
            case RequestStartState.Answered:
                return new AdmissionStart(AdmissionStartState.Answered, Answer: start.Answer);
            case RequestStartState.InFlight:
                return new AdmissionStart(AdmissionStartState.InFlight);
        }

        if (start.OutcomeUnknown || window <= TimeSpan.Zero)
        {
            return new AdmissionStart(AdmissionStartState.Started, OutcomeUnknown: start.OutcomeUnknown, Unverified: start.Unverified);
        }

        var passage = await TryClaimPassageCheckedAsync(participantId, gateId, claim, window, cancellationToken).ConfigureAwait(false);
        if (passage.Holder is { } held)
        {
            await SaveAnswerAsync(requestId, CheckInResult.Duplicate(held.RecordId, participantId, gateId, held.OccurredAt), retention, cancellationToken).ConfigureAwait(false);
            return new AdmissionStart(AdmissionStartState.Held, Holder: held);
        }

        return new AdmissionStart(AdmissionStartState.Started, PassageClaimed: true, Unverified: start.Unverified || passage.Unverified);
    }

    /// <summary>Records the answer to a request id for replays.</summary>
    ValueTask SaveAnswerAsync(Guid requestId, CheckInResult answer, TimeSpan retention, CancellationToken cancellationToken = default);

    /// <summary>Forgets a started request id without an answer (it failed in a way a retry may fix).</summary>
    /// <param name="requestId">The request id.</param>
    /// <param name="outcomeUnknown">
    /// Whether a write was attempted whose commit is unknown (the writer gave up after a failure in
    /// flight). The next <see cref="TryStartRequestAsync"/> then reports <see cref="RequestStart.OutcomeUnknown"/>,
    /// so the retry looks for the record before writing another.
    /// </param>
    /// <param name="cancellationToken">Cancels the call.</param>
    ValueTask AbandonRequestAsync(Guid requestId, bool outcomeUnknown = false, CancellationToken cancellationToken = default);
}
