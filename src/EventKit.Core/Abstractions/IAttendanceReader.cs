namespace EventKit;

/// <summary>Reads attendance records and counts.</summary>
/// <remarks>Reads may go to a replica and so may lag the primary slightly.</remarks>
public interface IAttendanceReader
{
    /// <summary>Records matching <paramref name="query"/>, newest first, one keyset page.</summary>
    /// <exception cref="ArgumentException">The query's limit is out of range or its cursor is not one this reader issued.</exception>
    Task<Page<AttendanceRecord>> QueryAsync(AttendanceQuery query, CancellationToken cancellationToken = default);

    /// <summary>How many records a gate has at or after <paramref name="since"/>.</summary>
    Task<long> CountAtGateSinceAsync(long gateId, DateTimeOffset since, CancellationToken cancellationToken = default);

    /// <summary>Per-gate counts at or after <paramref name="since"/>, for gates that have any.</summary>
    Task<IReadOnlyList<GateCount>> CountPerGateSinceAsync(DateTimeOffset since, CancellationToken cancellationToken = default);

    /// <summary>
    /// Whether any record exists at or after <paramref name="since"/>. Reads the primary: the check-in claims ask it to
    /// decide whether a Redis that lost its data can be trusted, which a lagging replica must not answer.
    /// </summary>
    Task<bool> AnyRecordSinceAsync(DateTimeOffset since, CancellationToken cancellationToken = default);

    /// <summary>Attendance summaries for many participants in one query. Participants without records get a zero summary. Reads the primary, so that a check-in followed by a read of its participant never looks lost.</summary>
    Task<IReadOnlyList<AttendanceSummary>> GetSummariesAsync(IReadOnlyCollection<long> participantIds, CancellationToken cancellationToken = default);

    /// <summary>The latest record of a participant at a gate at or after <paramref name="since"/>, or <see langword="null"/>. Reads the primary.</summary>
    Task<AttendanceRecord?> FindLatestAsync(long participantId, long gateId, DateTimeOffset since, CancellationToken cancellationToken = default);

    /// <summary>The record written for a request id, or <see langword="null"/>. Reads the primary.</summary>
    Task<AttendanceRecord?> FindByRequestIdAsync(Guid requestId, CancellationToken cancellationToken = default);
}
