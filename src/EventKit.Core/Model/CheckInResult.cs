namespace EventKit;

/// <summary>The answer to a check-in. Use the static factories; <see cref="Status"/> says which fields are set.</summary>
public sealed record CheckInResult
{
    private CheckInResult(CheckInStatus status, long gateId)
    {
        Status = status;
        GateId = gateId;
    }

    /// <summary>The outcome.</summary>
    public CheckInStatus Status { get; private init; }

    /// <summary>The gate asked for.</summary>
    public long GateId { get; private init; }

    /// <summary>The record written (<see cref="CheckInStatus.Admitted"/>) or the first record (<see cref="CheckInStatus.Duplicate"/>).</summary>
    public Guid? RecordId { get; private init; }

    /// <summary>The participant, when the credential resolved.</summary>
    public long? ParticipantId { get; private init; }

    /// <summary>For <see cref="CheckInStatus.InactiveParticipant"/>: the participant's status.</summary>
    public ParticipantStatus? ParticipantStatus { get; private init; }

    /// <summary>When the admission happened (the first admission for duplicates).</summary>
    public DateTimeOffset? OccurredAt { get; private init; }

    /// <summary>A stable code from <see cref="CheckInErrorCodes"/> for failures; <see langword="null"/> on success.</summary>
    public string? ErrorCode { get; private init; }

    /// <summary>For <see cref="CheckInStatus.Invalid"/>: the request field at fault (camelCase, as in the HTTP API).</summary>
    public string? Field { get; private init; }

    /// <summary>A human-readable explanation for failures; never contains the credential.</summary>
    public string? Message { get; private init; }

    /// <summary>For <see cref="CheckInStatus.Unavailable"/>: how long to wait before retrying.</summary>
    public TimeSpan? RetryAfter { get; private init; }

    /// <summary>Whether the participant is inside: admitted now or before, inside the re-entry window.</summary>
    public bool IsSuccess => Status is CheckInStatus.Admitted or CheckInStatus.Duplicate;

    /// <summary>Admitted: <paramref name="record"/> is committed.</summary>
    public static CheckInResult Admitted(AttendanceRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        return new(CheckInStatus.Admitted, record.GateId)
        {
            RecordId = record.Id,
            ParticipantId = record.ParticipantId,
            OccurredAt = record.OccurredAt,
        };
    }

    /// <summary>A repeat inside the re-entry window; <paramref name="firstRecordId"/> is the admission that counts.</summary>
    public static CheckInResult Duplicate(Guid firstRecordId, long participantId, long gateId, DateTimeOffset firstOccurredAt)
    {
        if (firstRecordId == Guid.Empty)
        {
            throw new ArgumentException("A duplicate must point at the first record.", nameof(firstRecordId));
        }

        return new(CheckInStatus.Duplicate, gateId)
        {
            RecordId = firstRecordId,
            ParticipantId = participantId,
            OccurredAt = firstOccurredAt.ToUniversalTime(),
        };
    }

    /// <summary>No participant holds the credential.</summary>
    public static CheckInResult UnknownCredential(long gateId)
        => new(CheckInStatus.UnknownCredential, gateId) { ErrorCode = CheckInErrorCodes.UnknownCredential, Message = "No participant holds this credential." };

    /// <summary>The participant is not active.</summary>
    public static CheckInResult InactiveParticipant(long gateId, long participantId, ParticipantStatus status)
        => new(CheckInStatus.InactiveParticipant, gateId)
        {
            ParticipantId = participantId,
            ParticipantStatus = status,
            ErrorCode = CheckInErrorCodes.InactiveParticipant,
            Message = $"The participant is {status.ToString().ToLowerInvariant()}.",
        };

    /// <summary>No such gate.</summary>
    public static CheckInResult UnknownGate(long gateId)
        => new(CheckInStatus.UnknownGate, gateId) { ErrorCode = CheckInErrorCodes.UnknownGate, Message = $"Gate {gateId} does not exist." };

    /// <summary>The gate is closed.</summary>
    public static CheckInResult GateClosed(long gateId)
        => new(CheckInStatus.GateClosed, gateId) { ErrorCode = CheckInErrorCodes.GateClosed, Message = $"Gate {gateId} is closed." };

    /// <summary>The event is closed at the check-in's time for this kind of gate (opening hours, start, end).</summary>
    /// <param name="gateId">The gate.</param>
    /// <param name="message">Why, for people (no personal data); <see langword="null"/> for the standard text.</param>
    public static CheckInResult EventClosed(long gateId, string? message = null)
        => new(CheckInStatus.EventClosed, gateId) { ErrorCode = CheckInErrorCodes.EventClosed, Message = message ?? "The event is closed at this time." };

    /// <summary>The request id was used before for a different request.</summary>
    /// <param name="gateId">The gate of this request.</param>
    public static CheckInResult RequestIdReused(long gateId)
        => new(CheckInStatus.RequestIdReused, gateId) { ErrorCode = CheckInErrorCodes.RequestIdReused, Message = "This requestId was already used for another check-in (another gate or credential); use a new requestId for a new check-in." };

    /// <summary>The request is malformed.</summary>
    /// <param name="gateId">The gate asked for (0 if that is what is missing).</param>
    /// <param name="field">The request field at fault, camelCase.</param>
    /// <param name="message">What is wrong, without echoing secrets.</param>
    public static CheckInResult Invalid(long gateId, string field, string message)
    {
        ArgumentException.ThrowIfNullOrEmpty(field);
        ArgumentException.ThrowIfNullOrEmpty(message);
        return new(CheckInStatus.Invalid, gateId) { ErrorCode = CheckInErrorCodes.InvalidFieldPrefix + field, Field = field, Message = message };
    }

    /// <summary>
    /// Rebuilds a successful or refused answer from its parts, for stores that keep answers to
    /// replayed request ids (<see cref="ICheckInClaims"/>). Invalid and unavailable answers are never stored.
    /// </summary>
    /// <exception cref="ArgumentException">The parts do not make a storable answer.</exception>
    /// <param name="status">The stored status.</param>
    /// <param name="gateId">The gate.</param>
    /// <param name="recordId">The record, for admitted and duplicate answers.</param>
    /// <param name="participantId">The participant, for admitted, duplicate and inactive answers.</param>
    /// <param name="occurredAt">When, for admitted and duplicate answers.</param>
    /// <param name="participantStatus">The participant's status, for inactive answers.</param>
    public static CheckInResult Rehydrate(CheckInStatus status, long gateId, Guid? recordId, long? participantId, DateTimeOffset? occurredAt, ParticipantStatus? participantStatus = null)
    {
        switch (status)
        {
            case CheckInStatus.Admitted when recordId is { } id && participantId is { } participant && occurredAt is { } at:
                return new(CheckInStatus.Admitted, gateId) { RecordId = id, ParticipantId = participant, OccurredAt = at.ToUniversalTime() };
            case CheckInStatus.Duplicate when recordId is { } id && participantId is { } participant && occurredAt is { } at:
                return Duplicate(id, participant, gateId, at);
            case CheckInStatus.UnknownCredential:
                return UnknownCredential(gateId);
            case CheckInStatus.InactiveParticipant when participantId is { } participant && participantStatus is { } inactive && inactive != EventKit.ParticipantStatus.Active:
                return InactiveParticipant(gateId, participant, inactive);
            case CheckInStatus.UnknownGate:
                return UnknownGate(gateId);
            case CheckInStatus.GateClosed:
                return GateClosed(gateId);
            case CheckInStatus.EventClosed:
                return EventClosed(gateId);
            default:
                throw new ArgumentException($"A stored answer cannot have status {status} with these parts.", nameof(status));
        }
    }

    /// <summary>Storage is unavailable; nothing was recorded.</summary>
    public static CheckInResult Unavailable(long gateId, TimeSpan retryAfter)
        => new(CheckInStatus.Unavailable, gateId)
        {
            ErrorCode = CheckInErrorCodes.Unavailable,
            Message = "Attendance storage is unavailable; nothing was recorded. Retry later.",
            RetryAfter = retryAfter,
        };
}
