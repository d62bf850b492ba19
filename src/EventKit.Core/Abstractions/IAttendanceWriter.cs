namespace EventKit;

/// <summary>Appends attendance records durably.</summary>
/// <remarks>
/// The contract every implementation keeps: a returned task completes successfully only after the
/// transaction holding the record has committed. Appending a record whose id is already stored is
/// a no-op, so a caller that is unsure (a timeout, a cancelled wait) retries with the same record.
/// </remarks>
public interface IAttendanceWriter
{
    /// <summary>Appends one record and completes once it is committed.</summary>
    /// <param name="record">The record.</param>
    /// <param name="cancellationToken">Stops waiting. The record may still be committed; retrying the same record is safe.</param>
    /// <exception cref="EventKitUnavailableException">Storage stayed unreachable through the writer's retries; the record is not committed.</exception>
    ValueTask AppendAsync(AttendanceRecord record, CancellationToken cancellationToken = default);

    /// <summary>Appends many records and completes once all are committed.</summary>
    /// <inheritdoc cref="AppendAsync" path="/param[@name='cancellationToken']"/>
    /// <exception cref="EventKitUnavailableException">Storage stayed unreachable; none of the records is acknowledged.</exception>
    Task AppendManyAsync(IReadOnlyList<AttendanceRecord> records, CancellationToken cancellationToken = default);

    /// <summary>
    /// Appends <paramref name="record"/> unless its participant already has a record at its gate within
    /// <paramref name="window"/> of it, or a record with its request id exists, deciding under a lock on
    /// (participant, gate) that every node takes, so two nodes can never both admit. The check-in pipeline's degraded
    /// path: used while the claims cannot vouch for what other nodes did.
    /// </summary>
    /// <param name="record">The record.</param>
    /// <param name="window">The re-entry window; zero checks the request id only.</param>
    /// <param name="cancellationToken">Stops waiting.</param>
    /// <returns><see langword="null"/> when the record was committed; otherwise the record already there (nothing written).</returns>
    /// <exception cref="EventKitUnavailableException">Storage could not decide; nothing is admitted on a guess.</exception>
    ValueTask<AttendanceRecord?> AppendUnlessPassedAsync(AttendanceRecord record, TimeSpan window, CancellationToken cancellationToken = default);
}

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

/// <summary>Admits participants at gates: the whole check-in pipeline.</summary>
public interface ICheckInService
{
    /// <summary>Runs a check-in and returns its outcome. Only <see cref="CheckInStatus.Admitted"/> writes a record, and only after it is committed.</summary>
    ValueTask<CheckInResult> CheckInAsync(CheckInRequest request, CancellationToken cancellationToken = default);
}
