using NpgsqlTypes;
using static EventKit.Storage.Internal.Mapping;

namespace EventKit.Storage.Internal;

/// <summary>The audit log on PostgreSQL (<c>audit_log</c>): appended to, read newest first with keyset paging by id.</summary>
internal sealed class PostgresAuditLog(StorageDataSources sources, StorageTelemetry telemetry, TimeProvider time) : IAuditLog
{
    private const string Append = "audit.append";
    private const string Read = "audit.page";

    public async Task AppendAsync(AuditChange change, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(change);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(change.EventId);
        CheckText(change.Actor, 100, nameof(change.Actor));
        CheckText(change.Action, 100, nameof(change.Action));
        CheckText(change.EntityKind, 50, nameof(change.EntityKind));
        CheckJson(change.OldValue, nameof(change.OldValue));
        CheckJson(change.NewValue, nameof(change.NewValue));
        await telemetry.TimeAsync(Append, async ct =>
        {
            using var command = sources.Write.CreateCommand(
                "INSERT INTO audit_log (event_id, occurred_at, actor, action, entity_kind, entity_id, old_value, new_value) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)");
            command.Parameters.Add(Param(change.EventId));
            command.Parameters.Add(Param(time.GetUtcNow().UtcDateTime));
            command.Parameters.Add(Param(change.Actor));
            command.Parameters.Add(Param(change.Action));
            command.Parameters.Add(Param(change.EntityKind));
            command.Parameters.Add(new Npgsql.NpgsqlParameter<long?> { TypedValue = change.EntityId, NpgsqlDbType = NpgsqlDbType.Bigint });
            command.Parameters.Add(new Npgsql.NpgsqlParameter<string?> { TypedValue = change.OldValue, NpgsqlDbType = NpgsqlDbType.Jsonb });
            command.Parameters.Add(new Npgsql.NpgsqlParameter<string?> { TypedValue = change.NewValue, NpgsqlDbType = NpgsqlDbType.Jsonb });
            return await command.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
        }, cancellationToken).ConfigureAwait(false);
    }

    public async Task<Page<AuditEntry>> ReadAsync(long eventId, int limit = 100, string? after = null, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(limit, 1000);
        var fingerprint = KeysetCursor.Fingerprint(eventId, 0, 0);
        var afterId = after is null ? long.MaxValue : KeysetCursor.Decode(after, KeysetCursor.AuditKind, fingerprint).Key;
        var rows = await telemetry.TimeAsync(Read, async ct =>
        {
            using var command = sources.Read.CreateCommand(
                "SELECT id, occurred_at, event_id, actor, action, entity_kind, entity_id, old_value::text, new_value::text FROM audit_log " +
                "WHERE event_id = $1 AND id < $2 ORDER BY id DESC LIMIT $3");
            command.Parameters.Add(Param(eventId));
            command.Parameters.Add(Param(afterId));
            command.Parameters.Add(Param(limit + 1));
            return await ReadAllAsync(
                command,
                static r => new AuditEntry(
                    r.GetInt64(0),
                    new DateTimeOffset(r.GetDateTime(1), TimeSpan.Zero),
                    new AuditChange(r.GetInt64(2), r.GetString(3), r.GetString(4), r.GetString(5), r.IsDBNull(6) ? null : r.GetInt64(6), r.IsDBNull(7) ? null : r.GetString(7), r.IsDBNull(8) ? null : r.GetString(8))),
                ct).ConfigureAwait(false);
        }, cancellationToken).ConfigureAwait(false);

        if (rows.Count <= limit)
        {
            return new Page<AuditEntry>(rows, null);
        }

        rows.RemoveAt(limit);
        return new Page<AuditEntry>(rows, KeysetCursor.Encode(KeysetCursor.AuditKind, fingerprint, rows[^1].Id, Guid.Empty));
    }

    private static void CheckText(string? value, int maxLength, string name)
    {
        if (string.IsNullOrWhiteSpace(value) || value.Length > maxLength || value.Contains('\0', StringComparison.Ordinal))
        {
            throw new ArgumentException($"{name} must be 1 to {maxLength} characters without NUL.", name);
        }
    }

    private static void CheckJson(string? value, string name)
    {
        if (value is null)
        {
            return;
        }

        try
        {
            using var document = System.Text.Json.JsonDocument.Parse(value);
            if (document.RootElement.ValueKind != System.Text.Json.JsonValueKind.Object)
            {
                throw new ArgumentException($"{name} must be a JSON object.", name);
            }
        }
        catch (System.Text.Json.JsonException e)
        {
            throw new ArgumentException($"{name} must be a JSON object.", name, e);
        }
    }
}
