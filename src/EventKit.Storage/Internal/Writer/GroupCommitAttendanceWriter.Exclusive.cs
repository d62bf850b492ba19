using System.Threading.Channels;
using Npgsql;
using static EventKit.Storage.Internal.Mapping;

namespace EventKit.Storage.Internal.Writer;

/// <summary>
/// The degraded path of the check-in pipeline: while the claims cannot vouch for what other nodes did (Redis down,
/// just back, or found empty), PostgreSQL decides. A transaction takes transaction-scoped advisory locks on
/// (participant, gate), looks for a record of each passage inside its window (or of the same request id), and inserts
/// only where there is none; every node takes the same locks, so two nodes can never both admit.
/// </summary>
/// <remarks>
/// Admissions that arrive while a decision is running are decided together in the next transaction (at most
/// <see cref="MaxExclusiveBatch"/>): one round trip takes the locks (in ascending key order on every node, so two
/// nodes' batches cannot deadlock) and reads what exists, a binary COPY writes the admitted records, one commits. One
/// transaction per admission, as this path first was, decided 826 admissions a second with 128 callers on 2 cores and
/// tipped a node whose Redis timed out under a cold start into a queue of connection waits and 503s. Within a batch,
/// admissions are decided in arrival order, so the second scan of a passage in the same batch is a duplicate of the first.
/// </remarks>
internal sealed partial class GroupCommitAttendanceWriter
{
    /// <summary>The most admissions one degraded transaction decides (and passage locks it holds).</summary>
    internal const int MaxExclusiveBatch = 256;

    // Advisory lock namespace ("EVKT"): the two-key form keeps these locks apart from maintenance's one-key locks.
    internal const int PassageLockClass = 0x45564B54;

    // One row per key, evaluated in the array's order: the caller sorts the keys.
    private const string ExclusiveLockSql = "SELECT pg_advisory_xact_lock($1, k) FROM unnest($2::integer[]) AS k";

    private const string ExistingRequestsSql = $"SELECT {AttendanceColumns} FROM attendance_records WHERE request_id = ANY($1) ORDER BY occurred_at";

    // The first record of each passage inside its window; q.i (1-based) says which admission asked. The lookups run
    // with values the planner cannot see, and a partition's gate index can look as good as its participant index on
    // paper while one gate holds most of the rows: "gate_id + 0" keeps every partition on the participant index.
    internal const string ExistingPassagesSql =
        $"SELECT x.*, q.i FROM unnest($1::bigint[], $2::bigint[], $3::timestamptz[], $4::timestamptz[]) WITH ORDINALITY AS q(p, g, lo, hi, i) " +
        $"CROSS JOIN LATERAL (SELECT {AttendanceColumns} FROM attendance_records a WHERE a.participant_id = q.p AND a.gate_id + 0 = q.g AND a.occurred_at >= q.lo AND a.occurred_at < q.hi ORDER BY a.occurred_at LIMIT 1) x";

    private readonly Channel<PendingExclusiveAppend> _exclusive = Channel.CreateUnbounded<PendingExclusiveAppend>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Task _exclusiveLoop;

    public async ValueTask<AttendanceRecord?> AppendUnlessPassedAsync(AttendanceRecord record, TimeSpan window, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(record);
        cancellationToken.ThrowIfCancellationRequested();
        var pending = new PendingExclusiveAppend(record, window, cancellationToken);
        if (!_exclusive.Writer.TryWrite(pending))
        {
            throw new EventKitUnavailableException("The attendance writer is shutting down.");
        }

        return await pending.Completion.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Decides what is queued, batch after batch, until the writer drains.</summary>
    private async Task RunExclusiveLoopAsync()
    {
        var batch = new List<PendingExclusiveAppend>(MaxExclusiveBatch);
        while (await _exclusive.Reader.WaitToReadAsync().ConfigureAwait(false))
        {
            batch.Clear();
            while (batch.Count < MaxExclusiveBatch && _exclusive.Reader.TryRead(out var next))
            {
                if (next.CancellationToken.IsCancellationRequested)
                {
                    next.Completion.TrySetCanceled(next.CancellationToken);
                }
                else
                {
                    batch.Add(next);
                }
            }

            if (batch.Count > 0)
            {
                await DecideAsync(batch).ConfigureAwait(false);
            }
        }
    }

    private async Task DecideAsync(List<PendingExclusiveAppend> batch)
    {
        try
        {
            var decided = await _telemetry.TimeAsync(QueryNames.AttendanceExclusive, ct => DecideCoreAsync(batch, ct), _abort.Token).ConfigureAwait(false);
            for (var i = 0; i < batch.Count; i++)
            {
                batch[i].Completion.TrySetResult(decided[i]);
            }
        }
        catch (PostgresException e) when (batch.Count > 1 && !IsTransient(e))
        {
            // One admission PostgreSQL refuses (a constraint) must not fail the others: decide each on its own.
            foreach (var pending in batch)
            {
                await DecideAsync([pending]).ConfigureAwait(false);
            }
        }
        catch (Exception e)
        {
            Exception error = IsTransient(e) || e is NpgsqlException or OperationCanceledException
                ? new EventKitUnavailableException("PostgreSQL could not decide the admission while the shared claims are unavailable.", e)
                : e;
            foreach (var pending in batch)
            {
                pending.Completion.TrySetException(error);
            }
        }
    }

    private async Task<AttendanceRecord?[]> DecideCoreAsync(List<PendingExclusiveAppend> batch, CancellationToken cancellationToken)
    {
        var connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
            await using (transaction.ConfigureAwait(false))
            {
                var (byRequest, byPassage) = await LockAndReadAsync(batch, connection, transaction, cancellationToken).ConfigureAwait(false);
                var decided = new AttendanceRecord?[batch.Count];
                var admitted = new List<AttendanceRecord>(batch.Count);
                for (var i = 0; i < batch.Count; i++)
                {
                    var (record, window) = (batch[i].Record, batch[i].Window);
                    if (record.RequestId is { } requestId && byRequest.TryGetValue(requestId, out var same))
                    {
                        decided[i] = same;
                    }
                    else if (window > TimeSpan.Zero && (byPassage[i] ?? EarlierInBatch(admitted, record, window)) is { } earlier)
                    {
                        decided[i] = earlier;
                    }
                    else
                    {
                        admitted.Add(record);
                        if (record.RequestId is { } id)
                        {
                            byRequest[id] = record;
                        }
                    }
                }

                if (admitted.Count > 0)
                {
                    // Inside the transaction: the rows commit with the locks' release.
                    await CopyAsync(connection, $"COPY attendance_records ({Columns}) FROM STDIN (FORMAT BINARY)", admitted, cancellationToken).ConfigureAwait(false);
                }

                await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
                return decided;
            }
        }
    }

    /// <summary>One round trip: the passage locks, then (each statement with a snapshot taken after them) the records of the same request ids and of each passage's window.</summary>
    private static async Task<(Dictionary<Guid, AttendanceRecord> ByRequest, AttendanceRecord?[] ByPassage)> LockAndReadAsync(List<PendingExclusiveAppend> batch, NpgsqlConnection connection, NpgsqlTransaction transaction, CancellationToken cancellationToken)
    {
        var keys = new SortedSet<int>();
        var requestIds = new List<Guid>();
        var participants = new long[batch.Count];
        var gates = new long[batch.Count];
        var from = new DateTime[batch.Count];
        var to = new DateTime[batch.Count];
        for (var i = 0; i < batch.Count; i++)
        {
            var (record, window) = (batch[i].Record, batch[i].Window);
            keys.Add(PassageLockKey(record.ParticipantId, record.GateId));
            if (record.RequestId is { } id)
            {
                requestIds.Add(id);
            }

            // A passage that asks for no window matches nothing (an empty range).
            var span = window > TimeSpan.Zero ? window : TimeSpan.Zero;
            (participants[i], gates[i]) = (record.ParticipantId, record.GateId);
            (from[i], to[i]) = ((record.OccurredAt - span).UtcDateTime, (record.OccurredAt + span).UtcDateTime);
        }

        var command = new NpgsqlBatch(connection, transaction);
        await using var disposeCommand = command.ConfigureAwait(false);
        var locks = new NpgsqlBatchCommand(ExclusiveLockSql);
        locks.Parameters.Add(Param(PassageLockClass));
        locks.Parameters.Add(Param(keys.ToArray()));
        command.BatchCommands.Add(locks);
        var requests = new NpgsqlBatchCommand(ExistingRequestsSql);
        requests.Parameters.Add(Param(requestIds.ToArray()));
        command.BatchCommands.Add(requests);
        var passages = new NpgsqlBatchCommand(ExistingPassagesSql);
        passages.Parameters.Add(Param(participants));
        passages.Parameters.Add(Param(gates));
        passages.Parameters.Add(Param(from));
        passages.Parameters.Add(Param(to));
        command.BatchCommands.Add(passages);

        var byRequest = new Dictionary<Guid, AttendanceRecord>();
        var byPassage = new AttendanceRecord?[batch.Count];
        var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        await using (reader.ConfigureAwait(false))
        {
            await reader.NextResultAsync(cancellationToken).ConfigureAwait(false);
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                var found = ReadAttendance(reader);
                byRequest.TryAdd(found.RequestId!.Value, found);
            }

            await reader.NextResultAsync(cancellationToken).ConfigureAwait(false);
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                byPassage[reader.GetInt64(9) - 1] = ReadAttendance(reader);
            }
        }

        return (byRequest, byPassage);
    }

    /// <summary>The earliest record admitted earlier in this batch for the same passage inside <paramref name="window"/> of <paramref name="record"/>.</summary>
    private static AttendanceRecord? EarlierInBatch(List<AttendanceRecord> admitted, AttendanceRecord record, TimeSpan window)
    {
        AttendanceRecord? earliest = null;
        foreach (var other in admitted)
        {
            if (other.ParticipantId == record.ParticipantId && other.GateId == record.GateId
                && other.OccurredAt >= record.OccurredAt - window && other.OccurredAt < record.OccurredAt + window
                && (earliest is null || other.OccurredAt < earliest.OccurredAt))
            {
                earliest = other;
            }
        }

        return earliest;
    }

    private static async Task CopyAsync(NpgsqlConnection connection, string copy, List<AttendanceRecord> records, CancellationToken cancellationToken)
    {
        var importer = await connection.BeginBinaryImportAsync(copy, cancellationToken).ConfigureAwait(false);
        await using (importer.ConfigureAwait(false))
        {
            foreach (var record in records)
            {
                await WriteRowAsync(importer, record, cancellationToken).ConfigureAwait(false);
            }

            await importer.CompleteAsync(cancellationToken).ConfigureAwait(false);
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
