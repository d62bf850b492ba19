using Npgsql;
using static EventKit.Storage.Internal.Mapping;

namespace EventKit.Storage.Internal;

/// <summary>Management listings of gates and gateways: keyset pages in id order (<c>id &gt; $after ORDER BY id LIMIT n+1</c>).</summary>
internal sealed class PostgresCatalog(StorageDataSources sources, StorageTelemetry telemetry) : IGateCatalog, IGatewayCatalog
{
    async Task<Page<Gate>> IGateCatalog.ListAsync(long eventId, int limit, string? after, CancellationToken cancellationToken)
        => await PageAsync(
            QueryNames.GatePage,
            KeysetCursor.GateKind,
            $"SELECT {GateColumns} FROM gates WHERE event_id = $1 AND id > $2 ORDER BY id LIMIT $3",
            eventId,
            limit,
            after,
            ReadGate,
            static g => g.Id,
            cancellationToken).ConfigureAwait(false);

    async Task<Page<Gateway>> IGatewayCatalog.ListAsync(long eventId, int limit, string? after, CancellationToken cancellationToken)
        => await PageAsync(
            QueryNames.GatewayPage,
            KeysetCursor.GatewayKind,
            "SELECT id, event_id, name, gate_id, api_key_hash FROM gateways WHERE event_id = $1 AND revoked_at IS NULL AND id > $2 ORDER BY id LIMIT $3",
            eventId,
            limit,
            after,
            static r => new Gateway(r.GetInt64(0), r.GetInt64(1), r.GetString(2), r.GetInt64(3), CredentialHash.FromBytes((byte[])r[4])),
            static g => g.Id,
            cancellationToken).ConfigureAwait(false);

    private async Task<Page<T>> PageAsync<T>(string name, byte kind, string sql, long eventId, int limit, string? after, Func<NpgsqlDataReader, T> map, Func<T, long> key, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(limit, AttendanceQuery.MaxLimit);
        var fingerprint = KeysetCursor.Fingerprint(eventId, 0, 0);
        var afterId = after is null ? 0 : KeysetCursor.Decode(after, kind, fingerprint).Key;
        var rows = await telemetry.TimeAsync(name, async ct =>
        {
            using var command = sources.Write.CreateCommand(sql);
            command.Parameters.Add(Param(eventId));
            command.Parameters.Add(Param(afterId));
            command.Parameters.Add(Param(limit + 1));
            return await ReadAllAsync(command, map, ct).ConfigureAwait(false);
        }, cancellationToken).ConfigureAwait(false);

        if (rows.Count <= limit)
        {
            return new Page<T>(rows, null);
        }

        rows.RemoveAt(limit);
        return new Page<T>(rows, KeysetCursor.Encode(kind, fingerprint, key(rows[^1]), Guid.Empty));
    }
}
