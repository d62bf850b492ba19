namespace EventKit;

/// <summary>One admission (or exit) of a participant at a gate: a row of <c>attendance_records</c>.</summary>
/// <remarks>
/// The id is a UUIDv7 whose timestamp is <see cref="OccurredAt"/>, so ids sort by time and a record
/// lands in the partition its id suggests. Writing the same record twice stores it once.
/// </remarks>
public sealed record AttendanceRecord
{
    /// <summary>Creates a record with an explicit id (for example, one read back from storage).</summary>
    /// <param name="id">The record id; not <see cref="Guid.Empty"/>.</param>
    /// <param name="eventId">The event; positive.</param>
    /// <param name="participantId">The participant; positive.</param>
    /// <param name="gateId">The gate; positive.</param>
    /// <param name="method">How the admission was captured.</param>
    /// <param name="direction">Entry or exit.</param>
    /// <param name="occurredAt">When it happened; stored in UTC.</param>
    /// <param name="requestId">The client's idempotency key, if it sent one.</param>
    /// <param name="credentialKind">What identified the participant.</param>
    /// <exception cref="ArgumentException">An argument breaks the rules above.</exception>
    public AttendanceRecord(
        Guid id,
        long eventId,
        long participantId,
        long gateId,
        CheckInMethod method,
        AttendanceDirection direction,
        DateTimeOffset occurredAt,
        Guid? requestId = null,
        CredentialKind credentialKind = CredentialKind.Token)
    {
        if (id == Guid.Empty)
        {
            throw new ArgumentException("An attendance record needs a non-empty id.", nameof(id));
        }

        Guard.Positive(eventId);
        Guard.Positive(participantId);
        Guard.Positive(gateId);
        Guard.Defined(method);
        Guard.Defined(direction);
        Guard.Defined(credentialKind);
        if (requestId == Guid.Empty)
        {
            throw new ArgumentException("A request id, when given, must not be empty.", nameof(requestId));
        }

        Id = id;
        EventId = eventId;
        ParticipantId = participantId;
        GateId = gateId;
        Method = method;
        Direction = direction;
        OccurredAt = TruncateToMicroseconds(occurredAt.ToUniversalTime());
        RequestId = requestId;
        CredentialKind = credentialKind;
    }

    /// <summary>Creates a new record with a fresh UUIDv7 id whose timestamp is <paramref name="occurredAt"/>.</summary>
    /// <inheritdoc cref="AttendanceRecord(Guid, long, long, long, CheckInMethod, AttendanceDirection, DateTimeOffset, Guid?, CredentialKind)"/>
    public static AttendanceRecord Create(
        long eventId,
        long participantId,
        long gateId,
        CheckInMethod method,
        AttendanceDirection direction,
        DateTimeOffset occurredAt,
        Guid? requestId = null,
        CredentialKind credentialKind = CredentialKind.Token)
        => new(Guid.CreateVersion7(occurredAt), eventId, participantId, gateId, method, direction, occurredAt, requestId, credentialKind);

    /// <summary>The record id (UUIDv7).</summary>
    public Guid Id { get; }

    /// <summary>The event.</summary>
    public long EventId { get; }

    /// <summary>The participant admitted.</summary>
    public long ParticipantId { get; }

    /// <summary>The gate.</summary>
    public long GateId { get; }

    /// <summary>How the admission was captured.</summary>
    public CheckInMethod Method { get; }

    /// <summary>Entry or exit.</summary>
    public AttendanceDirection Direction { get; }

    /// <summary>When it happened, in UTC, to the microsecond (PostgreSQL's precision, so an answer and its row agree).</summary>
    public DateTimeOffset OccurredAt { get; }

    /// <summary>The client's idempotency key, if any.</summary>
    public Guid? RequestId { get; }

    /// <summary>What identified the participant.</summary>
    public CredentialKind CredentialKind { get; }

    private static DateTimeOffset TruncateToMicroseconds(DateTimeOffset value)
        => new(value.UtcTicks - (value.UtcTicks % TimeSpan.TicksPerMicrosecond), TimeSpan.Zero);
}
