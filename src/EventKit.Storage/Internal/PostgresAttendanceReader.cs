using Npgsql;
using static EventKit.Storage.Internal.Mapping;

namespace EventKit.Storage.Internal;

/// <summary>Attendance reads: keyset pages newest first, counts, summaries for many participants in one query.</summary>
internal sealed class PostgresAttendanceReader(StorageDataSources sources, StorageTelemetry telemetry) : IAttendanceReader
{
    // Critical query "count at a gate since T": an index-only range scan of (gate_id, occurred_at DESC)
    // in the partitions that can hold rows at or after T.
    internal const string CountAtGateSql = "SELECT count(*) FROM attendance_records WHERE gate_id = $1 AND occurred_at >= $2";

    // Critical query "count per gate since T". PostgreSQL 15 has no skip scan, so a plain GROUP BY
    // reads every row since T sequentially; naming the gates (the gates table, an InitPlan) turns it
    // into one index-only scan of (gate_id, occurred_at DESC) per partition that descends once per
    // gate (= ANY), and the counts are grouped in memory. This replaced a LATERAL subquery per gate,
    // which re-scanned every partition's index once per gate (20 × 6 rescans for 20 gates).
    // Records of gates missing from the gates table are not counted.
    internal const string AnyRecordSinceSql = "SELECT EXISTS (SELECT 1 FROM attendance_records WHERE occurred_at >= $1)";

    internal const string CountPerGateSql =
        "SELECT a.gate_id, count(*) FROM attendance_records a " +
        "WHERE a.gate_id = ANY (ARRAY(SELECT id FROM gates)) AND a.occurred_at >= $1 GROUP BY a.gate_id ORDER BY a.gate_id";

    internal const string SummariesSql =
        "SELECT p.id, count(a.participant_id), min(a.occurred_at), max(a.occurred_at) " +
        "FROM unnest($1::bigint[]) AS p(id) LEFT JOIN attendance_records a ON a.participant_id = p.id GROUP BY p.id";

    // Four shapes, chosen by which filters are present, so every shape gets its own plan (a
    // catch-all "$1 IS NULL OR ..." would defeat the indexes). Built from constants only.
    private static readonly string[] PageSql = BuildPageSql();

    public async Task<Page<AttendanceRecord>> QueryAsync(AttendanceQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        if (query.Limit is < 1 or > AttendanceQuery.MaxLimit)
        {
            throw new ArgumentException($"The limit must be between 1 and {AttendanceQuery.MaxLimit} (was {query.Limit}).", nameof(query));
        }

        var since = query.Since?.UtcDateTime ?? DateTime.MinValue;
        var fingerprint = KeysetCursor.Fingerprint(query.ParticipantId ?? 0, query.GateId ?? 0, since.Ticks);
        var (afterTicks, afterId) = query.After is null
            ? (DateTime.MaxValue.Ticks, Guid.Empty)
            : KeysetCursor.Decode(query.After, KeysetCursor.AttendanceKind, fingerprint);
        if (afterTicks is < 0 || afterTicks > DateTime.MaxValue.Ticks)
        {
            throw new InvalidCursorException("The cursor is not one this query issued.", nameof(query));
        }

        var shape = (query.ParticipantId is null ? 0 : 1) | (query.GateId is null ? 0 : 2);
        var rows = await telemetry.TimeAsync(QueryNames.AttendancePage, async ct =>
        {
            // A participant's or a gate's page: generic plan (index range scans, partitions outside
            // [since, cursor] removed at executor start-up), no re-planning per page. The unfiltered
            // shape (a UNION ALL per method) keeps custom plans.
            NpgsqlBatchCommand? batchCommand = null;
            using var batch = shape == 0 ? null : GenericPlanBatch.Create(sources.Read, PageSql[shape], out batchCommand);
            using var single = shape == 0 ? sources.Read.CreateCommand(PageSql[shape]) : null;
            var parameters = batchCommand?.Parameters ?? single!.Parameters;
            parameters.Add(Param(query.ParticipantId ?? 0));
            parameters.Add(Param(query.GateId ?? 0));
            parameters.Add(Param(new DateTime(Math.Max(since.Ticks, DateTime.UnixEpoch.AddYears(-100).Ticks), DateTimeKind.Utc)));
            parameters.Add(Param(new DateTime(Math.Min(afterTicks, DateTime.UnixEpoch.AddYears(1000).Ticks), DateTimeKind.Utc)));
            parameters.Add(Param(query.After is null ? MaxGuid : afterId));
            parameters.Add(Param(query.Limit + 1));
            return batch is null
                ? await ReadAllAsync(single!, ReadAttendance, ct).ConfigureAwait(false)
                : await GenericPlanBatch.ReadAllAsync(batch, ReadAttendance, ct).ConfigureAwait(false);
        }, cancellationToken).ConfigureAwait(false);

        if (rows.Count <= query.Limit)
        {
            return new Page<AttendanceRecord>(rows, null);
        }

        rows.RemoveAt(query.Limit);
        var last = rows[^1];
        return new Page<AttendanceRecord>(rows, KeysetCursor.Encode(KeysetCursor.AttendanceKind, fingerprint, last.OccurredAt.UtcTicks, last.Id));
    }

    public async Task<long> CountAtGateSinceAsync(long gateId, DateTimeOffset since, CancellationToken cancellationToken = default)
        => await telemetry.TimeAsync(QueryNames.AttendanceCountAtGate, async ct =>
        {
            using var batch = GenericPlanBatch.Create(sources.Read, CountAtGateSql, out var command);
            command.Parameters.Add(Param(gateId));
            command.Parameters.Add(Param(since.UtcDateTime));
            return (await GenericPlanBatch.ReadAllAsync(batch, static r => r.GetInt64(0), ct).ConfigureAwait(false))[0];
        }, cancellationToken).ConfigureAwait(false);

    public async Task<IReadOnlyList<GateCount>> CountPerGateSinceAsync(DateTimeOffset since, CancellationToken cancellationToken = default)
        => await telemetry.TimeAsync(QueryNames.AttendanceCountPerGate, async ct =>
        {
            using var batch = GenericPlanBatch.Create(sources.Read, CountPerGateSql, out var command);
            command.Parameters.Add(Param(since.UtcDateTime));
            return await GenericPlanBatch.ReadAllAsync(batch, static r => new GateCount(r.GetInt64(0), r.GetInt64(1)), ct).ConfigureAwait(false);
        }, cancellationToken).ConfigureAwait(false);

    public async Task<bool> AnyRecordSinceAsync(DateTimeOffset since, CancellationToken cancellationToken = default)
        => await telemetry.TimeAsync(QueryNames.AttendanceAnySince, async ct =>
        {
            using var command = sources.Write.CreateCommand(AnyRecordSinceSql);
            command.Parameters.Add(Param(since.UtcDateTime));
            return (bool)(await command.ExecuteScalarAsync(ct).ConfigureAwait(false))!;
        }, cancellationToken).ConfigureAwait(false);

    public async Task<IReadOnlyList<AttendanceSummary>> GetSummariesAsync(IReadOnlyCollection<long> participantIds, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(participantIds);
        if (participantIds.Count == 0)
        {
            return [];
        }

        var ids = participantIds as long[] ?? [.. participantIds];
        return await telemetry.TimeAsync(QueryNames.AttendanceSummaries, async ct =>
        {
            // The primary: read-after-write (a check-in, then its participant's page) must see the check-in.
            using var command = sources.Write.CreateCommand(SummariesSql);
            command.Parameters.Add(Param(ids));
            return await ReadAllAsync(
                command,
                static r => new AttendanceSummary(
                    r.GetInt64(0),
                    r.GetInt64(1),
                    r.IsDBNull(2) ? null : new DateTimeOffset(r.GetDateTime(2), TimeSpan.Zero),
                    r.IsDBNull(3) ? null : new DateTimeOffset(r.GetDateTime(3), TimeSpan.Zero)),
                ct).ConfigureAwait(false);
        }, cancellationToken).ConfigureAwait(false);
    }

    public async Task<AttendanceRecord?> FindLatestAsync(long participantId, long gateId, DateTimeOffset since, CancellationToken cancellationToken = default)
        => await telemetry.TimeAsync(QueryNames.AttendanceLatest, async ct =>
        {
            using var command = sources.Write.CreateCommand(
                $"SELECT {AttendanceColumns} FROM attendance_records WHERE participant_id = $1 AND gate_id = $2 AND occurred_at >= $3 ORDER BY occurred_at DESC LIMIT 1");
            command.Parameters.Add(Param(participantId));
            command.Parameters.Add(Param(gateId));
            command.Parameters.Add(Param(since.UtcDateTime));
            return await ReadFirstAsync(command, ReadAttendance, ct).ConfigureAwait(false);
        }, cancellationToken).ConfigureAwait(false);

    public async Task<AttendanceRecord?> FindByRequestIdAsync(Guid requestId, CancellationToken cancellationToken = default)
        => await telemetry.TimeAsync(QueryNames.AttendanceByRequest, async ct =>
        {
            using var command = sources.Write.CreateCommand(
                $"SELECT {AttendanceColumns} FROM attendance_records WHERE request_id = $1 ORDER BY occurred_at DESC LIMIT 1");
            command.Parameters.Add(Param(requestId));
            return await ReadFirstAsync(command, ReadAttendance, ct).ConfigureAwait(false);
        }, cancellationToken).ConfigureAwait(false);

    internal static string PageSqlFor(bool byParticipant, bool byGate) => PageSql[(byParticipant ? 1 : 0) | (byGate ? 2 : 0)];

    private static readonly Guid MaxGuid = new("ffffffff-ffff-ffff-ffff-ffffffffffff");

    private static string[] BuildPageSql()
    {
        const string Keyset = "occurred_at >= $3 AND occurred_at <= $4 AND (occurred_at, id) < ($4, $5)";
        const string Order = "ORDER BY occurred_at DESC, id DESC LIMIT $6";
        var sql = new string[4];

        // $1/$2 are always sent so that all shapes bind the same parameters; unused ones are
        // referenced as a no-op so PostgreSQL can infer their types.
        sql[1] = $"SELECT {AttendanceColumns} FROM attendance_records WHERE participant_id = $1 AND {Keyset} AND $2::bigint IS NOT NULL {Order}";
        sql[2] = $"SELECT {AttendanceColumns} FROM attendance_records WHERE gate_id = $2 AND {Keyset} AND $1::bigint IS NOT NULL {Order}";
        sql[3] = $"SELECT {AttendanceColumns} FROM attendance_records WHERE participant_id = $1 AND gate_id = $2 AND {Keyset} {Order}";

        // Without a filter there is no index leading with occurred_at; PostgreSQL 15 cannot skip-scan
        // (method, occurred_at DESC) either, so the newest rows of each method are read as separate
        // index range scans and merged: a page costs a few index probes, not a sort of everything since T.
        var branches = new List<string>();
        foreach (var method in Enum.GetValues<CheckInMethod>())
        {
            branches.Add($"(SELECT {AttendanceColumns} FROM attendance_records WHERE method = {(int)method} AND {Keyset} {Order})");
        }

        sql[0] = $"SELECT {AttendanceColumns} FROM ({string.Join(" UNION ALL ", branches)}) AS newest " +
                 $"WHERE $1::bigint IS NOT NULL AND $2::bigint IS NOT NULL {Order}";
        return sql;
    }
}
