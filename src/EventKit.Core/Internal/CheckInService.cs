using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace EventKit.Internal;

/// <summary>
/// The check-in pipeline: validate → replay check (request id) → gate → participant → anti-passback
/// claim → durable append → counters. See <c>readme.md</c> beside this file for the invariants.
/// </summary>
internal sealed partial class CheckInService : ICheckInService
{
    private static readonly TimeSpan RequestLease = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan InFlightWait = TimeSpan.FromSeconds(10);

    private readonly IGateDirectory _gates;
    private readonly IParticipantDirectory _participants;
    private readonly IAttendanceWriter _writer;
    private readonly IAttendanceReader _reader;
    private readonly ICheckInClaims _claims;
    private readonly EventSettingsSource _events;
    private readonly IOptionsMonitor<EventKitOptions> _options;
    private readonly TimeProvider _time;
    private readonly CheckInCounters _counters;
    private readonly ILogger _logger;
    private readonly CredentialHasher _hasher;
    private readonly OutdatedCredentialUpgrader _upgrader;
    private readonly Counter<long> _outcomes;
    private readonly Histogram<double> _duration;
    private readonly Counter<long> _degradedDecisions;
    private readonly Counter<long> _gateAdmissions;

    // The gate id tag as a string, made once per gate: the measurement itself allocates nothing.
    private readonly ConcurrentDictionary<long, string> _gateTags = new();

    // Records this process is writing now, by id: a duplicate that finds its claim held by one of these waits for
    // the write's outcome, so it never answers "duplicate of X" for an X that then fails to commit.
    private readonly ConcurrentDictionary<Guid, Task<bool>> _writing = new();

    // Records whose write failed here lately (by id → when): a concurrent check-in that read such a record as the
    // passage's holder just before the write gave its claim back must retry, not answer "duplicate of" a record that
    // does not exist. Only failures add entries; they are swept once they are older than FailedWriteMemory.
    private readonly ConcurrentDictionary<Guid, long> _failedWrites = new();
    private static readonly TimeSpan FailedWriteMemory = TimeSpan.FromSeconds(30);

    public CheckInService(
        IGateDirectory gates,
        IParticipantDirectory participants,
        IAttendanceWriter writer,
        IAttendanceReader reader,
        ICheckInClaims claims,
        EventSettingsSource events,
        IOptionsMonitor<EventKitOptions> options,
        TimeProvider time,
        CheckInCounters counters,
        IMeterFactory meterFactory,
        ILogger<CheckInService> logger,
        CredentialHasher hasher,
        OutdatedCredentialUpgrader upgrader)
    {
        _hasher = hasher;
        _upgrader = upgrader;
        _gates = gates;
        _participants = participants;
        _writer = writer;
        _reader = reader;
        _claims = claims;
        _events = events;
        _options = options;
        _time = time;
        _counters = counters;
        _logger = logger;
        var meter = meterFactory.Create(EventKitDiagnostics.CheckIn);
        _outcomes = meter.CreateCounter<long>("eventkit.checkin.outcomes", "{check-in}", "Check-ins by outcome.");
        _duration = meter.CreateHistogram(
            "eventkit.checkin.duration",
            "s",
            "Time to decide a check-in, including the durable write for admissions.",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5] });
        _gateAdmissions = meter.CreateCounter<long>("eventkit.checkin.gate_admissions", "{check-in}", "Admissions by gate (the dashboard's per-gate tiles).");
        _degradedDecisions = meter.CreateCounter<long>("eventkit.checkin.degraded_decisions", "{check-in}", "Admissions decided by PostgreSQL under a passage lock because the claims could not vouch for other nodes.");
    }

    public async ValueTask<CheckInResult> CheckInAsync(CheckInRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        using var span = CheckInTracing.Source.StartActivity(CheckInTracing.CheckIn);
        var started = _time.GetTimestamp();
        var result = await RunAsync(request, cancellationToken).ConfigureAwait(false);
        _counters.Record(result);
        var status = new KeyValuePair<string, object?>("eventkit.checkin.status", StatusNames[(int)result.Status]);
        _outcomes.Add(1, status);
        if (result.Status == CheckInStatus.Admitted)
        {
            _gateAdmissions.Add(1, new KeyValuePair<string, object?>("eventkit.gate.id", _gateTags.GetOrAdd(request.GateId, static id => id.ToString(System.Globalization.CultureInfo.InvariantCulture))));
        }

        _duration.Record(_time.GetElapsedTime(started).TotalSeconds, status);
        span?.SetTag("eventkit.gate.id", request.GateId).SetTag(status.Key, status.Value);
        return result;
    }

    // Indexed by status: the metric tag is the status's wire name (one map, the enum's attributes).
    private static readonly string[] StatusNames = Array.ConvertAll(Enum.GetValues<CheckInStatus>(), WireNames<CheckInStatus>.Of);

    private async ValueTask<CheckInResult> RunAsync(CheckInRequest request, CancellationToken cancellationToken)
    {
        var options = _options.CurrentValue;
        if (Validate(request, options, _time.GetUtcNow()) is { } invalid)
        {
            return invalid;
        }

        // The event's configuration is an in-memory copy (refreshed in the background): no I/O per check-in. Its re-entry
        // window can shorten the node's, never lengthen it (the node's bounds how long claims stay unverified).
        var schedule = await _events.GetAsync(cancellationToken).ConfigureAwait(false);
        var window = schedule.Settings.ReEntryWindow is { } eventWindow && eventWindow < options.ReEntryWindow ? eventWindow : options.ReEntryWindow;

        // Gate and participant come from L1 in the common case: resolving them first lets an admission start its
        // request and claim its passage in one round trip to the shared claims store.
        var (refusal, gate, participant) = await ResolveAsync(request, schedule, cancellationToken).ConfigureAwait(false);
        var attempt = new WriteAttempt();
        if (request.RequestId is not { } requestId)
        {
            return refusal ?? await AdmitAsync(CreateRecord(request, gate!, participant!), window, attempt, cancellationToken).ConfigureAwait(false);
        }

        return refusal is null
            ? await AdmitWithRequestIdAsync(requestId, CreateRecord(request, gate!, participant!), options, window, attempt, cancellationToken).ConfigureAwait(false)
            : await RefuseWithRequestIdAsync(requestId, refusal, options, cancellationToken).ConfigureAwait(false);
    }

    private async ValueTask<(CheckInResult? Refusal, Gate? Gate, Participant? Participant)> ResolveAsync(CheckInRequest request, EventSchedule schedule, CancellationToken cancellationToken)
    {
        using var span = CheckInTracing.Source.StartActivity(CheckInTracing.Resolve);
        var gate = await _gates.GetAsync(request.GateId, cancellationToken).ConfigureAwait(false);

        // Nodes of different events may share a database: another event's gate is unknown here.
        if (gate is null || gate.EventId != _options.CurrentValue.EventId)
        {
            return (CheckInResult.UnknownGate(request.GateId), null, null);
        }

        if (!gate.IsOpen)
        {
            return (CheckInResult.GateClosed(gate.Id), gate, null);
        }

        // Opening hours judge when the check-in happened (an offline scanner's upload keeps its time), before any claim.
        if (schedule.HasRules && !schedule.IsOpen(gate.Kind, request.OccurredAt ?? _time.GetUtcNow()))
        {
            return (CheckInResult.EventClosed(gate.Id), gate, null);
        }

        Participant? participant;
        if (request.Credential is { } token)
        {
            participant = await _participants.FindByCredentialAsync(_hasher.Compute(token), cancellationToken).ConfigureAwait(false)
                ?? await _upgrader.FindAndUpgradeAsync(token, cancellationToken).ConfigureAwait(false);
        }
        else
        {
            participant = await _participants.GetAsync(request.ParticipantId!.Value, cancellationToken).ConfigureAwait(false);
        }

        if (participant is null || participant.EventId != gate.EventId)
        {
            return (CheckInResult.UnknownCredential(gate.Id), gate, null);
        }

        return participant.IsActive
            ? (null, gate, participant)
            : (CheckInResult.InactiveParticipant(gate.Id, participant.Id, participant.Status), gate, participant);
    }

    private AttendanceRecord CreateRecord(CheckInRequest request, Gate gate, Participant participant)
        => AttendanceRecord.Create(gate.EventId, participant.Id, gate.Id, request.Method, gate.Direction, request.OccurredAt ?? _time.GetUtcNow(), request.RequestId, request.CredentialKind);

    /// <summary>A refusal with a request id: a replay still gets the first answer (which may have been an admission).</summary>
    private async ValueTask<CheckInResult> RefuseWithRequestIdAsync(Guid requestId, CheckInResult refusal, EventKitOptions options, CancellationToken cancellationToken)
    {
        var start = await StartRequestAsync(requestId, cancellationToken).ConfigureAwait(false);
        if (start.State != RequestStartState.Started)
        {
            return start.Answer is { } answer
                ? SameRequest(answer, refusal.GateId, refusal.ParticipantId) ? answer : CheckInResult.RequestIdReused(refusal.GateId)
                : CheckInResult.Unavailable(refusal.GateId, TimeSpan.FromSeconds(1));
        }

        var result = refusal;
        try
        {
            // After a lost commit acknowledgement, or while the claims cannot vouch that no other node answered this
            // request id, PostgreSQL says whether it was admitted before.
            if ((start.OutcomeUnknown || start.Unverified) && await _reader.FindByRequestIdAsync(requestId, cancellationToken).ConfigureAwait(false) is { } earlier)
            {
                result = SameRequest(CheckInResult.Admitted(earlier), refusal.GateId, refusal.ParticipantId) ? CheckInResult.Admitted(earlier) : CheckInResult.RequestIdReused(refusal.GateId);
            }
        }
        catch
        {
            await _claims.AbandonRequestAsync(requestId, outcomeUnknown: false, CancellationToken.None).ConfigureAwait(false);
            throw;
        }

        await SaveAnswerAsync(requestId, result, options).ConfigureAwait(false);
        return result;
    }

    /// <summary>
    /// Keeps an answer for replays of its request id. Admissions and duplicates are kept for the idempotency window;
    /// refusals for at most one re-entry window (not at all without one), so random request ids cannot fill the store.
    /// </summary>
    private ValueTask SaveAnswerAsync(Guid requestId, CheckInResult result, EventKitOptions options)
    {
        if (result.Status == CheckInStatus.RequestIdReused)
        {
            // The request id belongs to another request: leave its answer as it is.
            return ValueTask.CompletedTask;
        }

        var retention = result.IsSuccess ? options.IdempotencyWindow : TimeSpan.FromTicks(Math.Min(options.ReEntryWindow.Ticks, options.IdempotencyWindow.Ticks));
        return retention > TimeSpan.Zero
            ? _claims.SaveAnswerAsync(requestId, result, retention, CancellationToken.None)
            : _claims.AbandonRequestAsync(requestId, outcomeUnknown: false, CancellationToken.None);
    }

    /// <summary>Whether a stored answer belongs to a request for the same gate and participant (a replay, not a reuse of the id).</summary>
    private static bool SameRequest(CheckInResult answer, long gateId, long? participantId)
        => answer.GateId == gateId && (answer.ParticipantId is null || participantId is null || answer.ParticipantId == participantId);

    /// <summary>An admission with a request id: start and claim in one step, write, store the answer.</summary>
    private async ValueTask<CheckInResult> AdmitWithRequestIdAsync(Guid requestId, AttendanceRecord record, EventKitOptions options, TimeSpan window, WriteAttempt attempt, CancellationToken cancellationToken)
    {
        var claim = new PassageClaim(record.Id, record.OccurredAt);
        var waitingSince = _time.GetTimestamp();
        AdmissionStart start;
        while (true)
        {
            using (CheckInTracing.Source.StartActivity(CheckInTracing.Claim))
            {
                start = await _claims.TryStartAdmissionAsync(requestId, RequestLease, record.ParticipantId, record.GateId, claim, window, options.IdempotencyWindow, cancellationToken).ConfigureAwait(false);
            }

            if (start.State != AdmissionStartState.InFlight)
            {
                break;
            }

            if (_time.GetElapsedTime(waitingSince) > InFlightWait)
            {
                return CheckInResult.Unavailable(record.GateId, TimeSpan.FromSeconds(1));
            }

            Log.WaitingForRequest(_logger, requestId);
            await Task.Delay(TimeSpan.FromMilliseconds(10), _time, cancellationToken).ConfigureAwait(false);
        }

        switch (start.State)
        {
            case AdmissionStartState.Answered:
                return SameRequest(start.Answer!, record.GateId, record.ParticipantId) ? start.Answer! : CheckInResult.RequestIdReused(record.GateId);
            case AdmissionStartState.Held when start.Holder is { } held:
                if (!await UncertainHereAsync(held.RecordId, cancellationToken).ConfigureAwait(false))
                {
                    // The claims store has already kept this answer for the request id.
                    return CheckInResult.Duplicate(held.RecordId, record.ParticipantId, record.GateId, held.OccurredAt);
                }

                // The holder was this node's write, and it failed in flight: PostgreSQL decides (the answer stored below replaces the duplicate).
                start = new AdmissionStart(AdmissionStartState.Started);
                break;
        }

        CheckInResult result;
        try
        {
            if (start.OutcomeUnknown && await _reader.FindByRequestIdAsync(requestId, cancellationToken).ConfigureAwait(false) is { } earlier)
            {
                // An earlier attempt's write failed in flight but had committed: that record is the answer.
                result = SameRequest(CheckInResult.Admitted(earlier), record.GateId, record.ParticipantId) ? CheckInResult.Admitted(earlier) : CheckInResult.RequestIdReused(record.GateId);
            }
            else
            {
                var unverified = start.Unverified;
                var claimed = start.PassageClaimed && window > TimeSpan.Zero;
                CheckInResult? duplicate = null;
                if (!start.PassageClaimed && window > TimeSpan.Zero)
                {
                    (duplicate, var claimUnverified, claimed) = await ClaimPassageAsync(record, window, verifyHolder: start.OutcomeUnknown, cancellationToken).ConfigureAwait(false);
                    unverified |= claimUnverified;
                }

                result = duplicate ?? await WriteAsync(record, window, claimed: claimed, exclusive: unverified, attempt).ConfigureAwait(false);
                if (result.Status == CheckInStatus.Admitted && result.RecordId != record.Id)
                {
                    // PostgreSQL had this request's record already (its first answer was lost with Redis): same answer again.
                    result = SameRequest(result, record.GateId, record.ParticipantId) ? result : CheckInResult.RequestIdReused(record.GateId);
                }
            }
        }
        catch
        {
            await _claims.AbandonRequestAsync(requestId, attempt.OutcomeUnknown, CancellationToken.None).ConfigureAwait(false);
            throw;
        }

        if (result.Status == CheckInStatus.Unavailable)
        {
            // A retry may succeed: do not pin this answer to the request id.
            await _claims.AbandonRequestAsync(requestId, attempt.OutcomeUnknown, CancellationToken.None).ConfigureAwait(false);
        }
        else
        {
            await SaveAnswerAsync(requestId, result, options).ConfigureAwait(false);
        }

        return result;
    }

    private async ValueTask<RequestStart> StartRequestAsync(Guid requestId, CancellationToken cancellationToken)
    {
        var waitingSince = _time.GetTimestamp();
        while (true)
        {
            var start = await _claims.TryStartRequestAsync(requestId, RequestLease, cancellationToken).ConfigureAwait(false);
            if (start.State != RequestStartState.InFlight || _time.GetElapsedTime(waitingSince) > InFlightWait)
            {
                return start;
            }

            Log.WaitingForRequest(_logger, requestId);
            await Task.Delay(TimeSpan.FromMilliseconds(10), _time, cancellationToken).ConfigureAwait(false);
        }
    }

    private async ValueTask<CheckInResult> AdmitAsync(AttendanceRecord record, TimeSpan window, WriteAttempt attempt, CancellationToken cancellationToken)
    {
        var unverified = false;
        var claimed = false;
        if (window > TimeSpan.Zero)
        {
            (var duplicate, unverified, claimed) = await ClaimPassageAsync(record, window, verifyHolder: false, cancellationToken).ConfigureAwait(false);
            if (duplicate is not null)
            {
                return duplicate;
            }
        }

        return await WriteAsync(record, window, claimed: claimed, exclusive: unverified, attempt).ConfigureAwait(false);
    }

    /// <summary>
    /// Claims the passage for <paramref name="record"/>; returns the duplicate answer when another record holds it, and
    /// whether a free passage is unverified (the claims cannot vouch for other nodes: PostgreSQL must decide).
    /// </summary>
    private async ValueTask<(CheckInResult? Duplicate, bool Unverified, bool Claimed)> ClaimPassageAsync(AttendanceRecord record, TimeSpan window, bool verifyHolder, CancellationToken cancellationToken)
    {
        using var span = CheckInTracing.Source.StartActivity(CheckInTracing.Claim);
        var claim = await _claims.TryClaimPassageCheckedAsync(record.ParticipantId, record.GateId, new PassageClaim(record.Id, record.OccurredAt), window, cancellationToken).ConfigureAwait(false);
        if (claim.Holder is not { } held)
        {
            return (null, claim.Unverified, true);
        }

        if (verifyHolder || await UncertainHereAsync(held.RecordId, cancellationToken).ConfigureAwait(false))
        {
            // The holder's write may or may not have committed (it failed in flight here, or this request's earlier
            // attempt did): PostgreSQL decides under the passage lock. The holder keeps its claim, so no other node
            // admits on the fast path meanwhile; at worst they answer "duplicate" of a record that did not commit.
            return (null, true, false);
        }

        return (CheckInResult.Duplicate(held.RecordId, record.ParticipantId, record.GateId, held.OccurredAt), false, false);
    }

    /// <summary>
    /// Writes the record. Normally through the group-commit writer; when <paramref name="exclusive"/> (the claims could
    /// not vouch for other nodes), PostgreSQL decides under a lock on (participant, gate): it may answer with a record
    /// that was already there, which becomes a duplicate (or, for the same request id, the first admission again).
    /// </summary>
    private async ValueTask<CheckInResult> WriteAsync(AttendanceRecord record, TimeSpan window, bool claimed, bool exclusive, WriteAttempt attempt)
    {
        using var span = CheckInTracing.Source.StartActivity(CheckInTracing.Write);
        var outcome = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
        _writing[record.Id] = outcome.Task;
        var committed = false;
        try
        {
            // Once started, the write runs to its end whatever the caller does: the answer must say what happened.
            if (!exclusive)
            {
                await _writer.AppendAsync(record, CancellationToken.None).ConfigureAwait(false);
                committed = true;
                return CheckInResult.Admitted(record);
            }

            _degradedDecisions.Add(1);
            var existing = await _writer.AppendUnlessPassedAsync(record, window, CancellationToken.None).ConfigureAwait(false);
            if (existing is null)
            {
                committed = true;
                return CheckInResult.Admitted(record);
            }

            // Nothing was written: the passage (or the request) was decided before, on some node. Remember it here.
            attempt.Decided = true;
            if (existing.RequestId is { } id && id == record.RequestId)
            {
                return CheckInResult.Admitted(existing);
            }

            if (claimed)
            {
                await _claims.ReleasePassageAsync(record.ParticipantId, record.GateId, record.Id, CancellationToken.None).ConfigureAwait(false);
                var remaining = existing.OccurredAt + window - _time.GetUtcNow();
                if (remaining > TimeSpan.Zero)
                {
                    await _claims.TryClaimPassageAsync(record.ParticipantId, record.GateId, new PassageClaim(existing.Id, existing.OccurredAt), remaining, CancellationToken.None).ConfigureAwait(false);
                }

                claimed = false;
            }

            return CheckInResult.Duplicate(existing.Id, record.ParticipantId, record.GateId, existing.OccurredAt);
        }
        catch (EventKitUnavailableException e)
        {
            Log.StorageUnavailable(_logger, record.GateId, e);
            return CheckInResult.Unavailable(record.GateId, e.RetryAfter);
        }
        finally
        {
            // A write that started and did not report success may still have committed (PostgreSQL went away between
            // COMMIT and its answer): its claim stays, so nobody is admitted on the fast path as if it had not; scans that
            // find it as the holder here let PostgreSQL decide (UncertainHereAsync).
            attempt.OutcomeUnknown = !committed && !attempt.Decided;
            if (!committed && !attempt.Decided)
            {
                RememberUncertainWrite(record.Id);
            }

            _writing.TryRemove(record.Id, out _);
            outcome.TrySetResult(committed);
        }
    }

    /// <summary>
    /// Whether <paramref name="recordId"/>, read as a passage's holder, is a write of this process that did not report
    /// a commit (it may or may not be in PostgreSQL): waits for it while it is in flight.
    /// </summary>
    private async ValueTask<bool> UncertainHereAsync(Guid recordId, CancellationToken cancellationToken)
        => _writing.TryGetValue(recordId, out var write)
            ? !await write.WaitAsync(cancellationToken).ConfigureAwait(false)
            : _failedWrites.ContainsKey(recordId);

    private void RememberUncertainWrite(Guid recordId)
    {
        var now = _time.GetTimestamp();
        _failedWrites[recordId] = now;
        if (_failedWrites.Count % 1024 == 0)
        {
            foreach (var (id, failedAt) in _failedWrites)
            {
                if (_time.GetElapsedTime(failedAt, now) > FailedWriteMemory)
                {
                    _failedWrites.TryRemove(id, out _);
                }
            }
        }
    }

    private static CheckInResult? Validate(CheckInRequest request, EventKitOptions options, DateTimeOffset now)
    {
        if (request.GateId <= 0)
        {
            return CheckInResult.Invalid(request.GateId, "gateId", "gateId must be a positive integer.");
        }

        if (!Enum.IsDefined(request.Method))
        {
            return CheckInResult.Invalid(request.GateId, "method", "method must be one of qr, nfc, manual.");
        }

        if (request.Credential is { } token)
        {
            if (request.Method == CheckInMethod.Ble)
            {
                return CheckInResult.Invalid(request.GateId, "method", "BLE admissions arrive through gateway reports, not as tokens.");
            }

            if (CredentialHash.Validate(token) is { } problem)
            {
                return CheckInResult.Invalid(request.GateId, "credential", problem);
            }
        }
        else if (request.ParticipantId is not > 0)
        {
            return CheckInResult.Invalid(request.GateId, "participantId", "participantId must be a positive integer.");
        }

        if (request.RequestId == Guid.Empty)
        {
            return CheckInResult.Invalid(request.GateId, "requestId", "requestId must be a non-empty UUID.");
        }

        if (request.OccurredAt is { } occurredAt)
        {
            if (occurredAt < now - options.MaxBackdate)
            {
                return CheckInResult.Invalid(request.GateId, "occurredAt", $"occurredAt is more than {options.MaxBackdate:c} in the past.");
            }

            if (occurredAt > now + options.MaxFutureSkew)
            {
                return CheckInResult.Invalid(request.GateId, "occurredAt", $"occurredAt is more than {options.MaxFutureSkew:c} in the future.");
            }
        }

        return null;
    }

    /// <summary>Whether this attempt started a write whose commit is unknown.</summary>
    private sealed class WriteAttempt
    {
        public bool OutcomeUnknown { get; set; }

        /// <summary>PostgreSQL answered with an existing record: nothing is in doubt.</summary>
        public bool Decided { get; set; }
    }
}
