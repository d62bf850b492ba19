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
