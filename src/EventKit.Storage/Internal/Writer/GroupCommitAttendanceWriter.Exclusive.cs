using Npgsql;
using NpgsqlTypes;
using static EventKit.Storage.Internal.Mapping;

namespace EventKit.Storage.Internal.Writer;

/// <summary>
/// The degraded path of the check-in pipeline: while the claims cannot vouch for what other nodes did (Redis down,
/// just back, or found empty), PostgreSQL decides. One transaction takes a transaction-scoped advisory lock on
/// (participant, gate), looks for a record of that passage inside the window (or of the same request id), and inserts
/// only if there is none; every node takes the same lock, so two nodes can never both admit. Slower than group commit
/// (one transaction per admission) by design: it runs only while the fast path cannot be trusted.
/// </summary>
internal sealed partial class GroupCommitAttendanceWriter
{
    // Advisory lock namespace ("EVKT"): the two-key form keeps these locks apart from maintenance's one-key locks.
    private const int PassageLockClass = 0x45564B54;

    private const string ExclusiveLockSql = "SELECT pg_advisory_xact_lock($1, $2)";

    private const string ExistingPassageSql =
        $"SELECT {AttendanceColumns} FROM attendance_records WHERE participant_id = $1 AND gate_id = $2 AND occurred_at >= $3 AND occurred_at < $4 ORDER BY occurred_at LIMIT 1";

    private const string ExistingRequestSql = $"SELECT {AttendanceColumns} FROM attendance_records WHERE request_id = $1 LIMIT 1";

    private const string InsertSql =
        "INSERT INTO attendance_records (id, event_id, participant_id, gate_id, method, direction, credential_kind, occurred_at, request_id) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)";

    public async ValueTask<AttendanceRecord?> AppendUnlessPassedAsync(AttendanceRecord record, TimeSpan window, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(record);
        try
        {
            return await _telemetry.TimeAsync(QueryNames.AttendanceExclusive, ct => AppendUnlessPassedCoreAsync(record, window, ct), cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (IsTransient(e) || e is NpgsqlException)
        {
            throw new EventKitUnavailableException("PostgreSQL could not decide the admission while the shared claims are unavailable.", e);
        }
    }

    private async Task<AttendanceRecord?> AppendUnlessPassedCoreAsync(AttendanceRecord record, TimeSpan window, CancellationToken cancellationToken)
    {
        var connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
            await using (transaction.ConfigureAwait(false))
            {
                using (var lockCommand = new NpgsqlCommand(ExclusiveLockSql, connection, transaction))
                {
                    lockCommand.Parameters.Add(Param(PassageLockClass));
                    lockCommand.Parameters.Add(Param(PassageLockKey(record.ParticipantId, record.GateId)));
                    await lockCommand.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
                }

                if (record.RequestId is { } requestId)
                {
                    using var byRequest = new NpgsqlCommand(ExistingRequestSql, connection, transaction);
                    byRequest.Parameters.Add(Param(requestId));
                    if (await ReadFirstAsync(byRequest, ReadAttendance, cancellationToken).ConfigureAwait(false) is { } same)
                    {
                        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
                        return same;
                    }
                }

                if (window > TimeSpan.Zero)
                {
                    using var byPassage = new NpgsqlCommand(ExistingPassageSql, connection, transaction);
                    byPassage.Parameters.Add(Param(record.ParticipantId));
                    byPassage.Parameters.Add(Param(record.GateId));
                    byPassage.Parameters.Add(Param((record.OccurredAt - window).UtcDateTime));
                    byPassage.Parameters.Add(Param((record.OccurredAt + window).UtcDateTime));
                    if (await ReadFirstAsync(byPassage, ReadAttendance, cancellationToken).ConfigureAwait(false) is { } earlier)
                    {
                        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
                        return earlier;
                    }
                }

                using (var insert = new NpgsqlCommand(InsertSql, connection, transaction))
                {
                    insert.Parameters.Add(Param(record.Id));
                    insert.Parameters.Add(Param(record.EventId));
                    insert.Parameters.Add(Param(record.ParticipantId));
                    insert.Parameters.Add(Param(record.GateId));
                    insert.Parameters.Add(Param((short)record.Method));
                    insert.Parameters.Add(Param((short)record.Direction));
                    insert.Parameters.Add(Param((short)record.CredentialKind));
                    insert.Parameters.Add(Param(record.OccurredAt.UtcDateTime));
                    insert.Parameters.Add(new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.Uuid, Value = record.RequestId is { } id ? id : DBNull.Value });
                    await insert.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
                }

                await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
                return null;
            }
        }
    }

    /// <summary>
    /// A 32-bit key for (participant, gate), the same on every node and every run (not <see cref="HashCode"/>, which is
    /// seeded per process); a collision only makes two unrelated passages wait for each other.
    /// </summary>
    internal static int PassageLockKey(long participantId, long gateId)
    {
        var x = unchecked(((ulong)participantId * 0x9E3779B97F4A7C15UL) ^ ((ulong)gateId * 0xC2B2AE3D27D4EB4FUL));
        x ^= x >> 29;
        return unchecked((int)(x ^ (x >> 32)));
    }
}
