using static EventKit.Storage.Internal.Mapping;

namespace EventKit.Storage.Internal;

/// <summary>
/// Credential hashes of an older scheme (<c>hash_version</c> other than the current pepper's) on PostgreSQL: found by
/// their outdated hash, re-hashed by the caller. Whether any participant row is outdated is re-checked once a minute, so
/// a database without outdated rows pays nothing for unknown tokens. Only the node's event is searched: events sharing a
/// database may use different peppers, and one event's node must never re-hash another event's rows.
/// </summary>
internal sealed class PostgresCredentialHashMigration(StorageDataSources sources, StorageTelemetry telemetry, CredentialHasher hasher, TimeProvider time, Microsoft.Extensions.Options.IOptions<EventKitOptions> options) : ICredentialHashMigration
{
    private static readonly TimeSpan Recheck = TimeSpan.FromMinutes(1);

    // Same shape as the check-in lookup (active first on its partial index, then the newest inactive holder).
    private static readonly string FindSql =
        $"(SELECT {ParticipantColumns} FROM participants WHERE token_hash = ANY($1) AND status = 'active' AND hash_version <> $2 AND event_id = $3) " +
        $"UNION ALL (SELECT {ParticipantColumns} FROM participants WHERE token_hash = ANY($1) AND status <> 'active' AND hash_version <> $2 AND event_id = $3 ORDER BY updated_at DESC LIMIT 1) LIMIT 1";

    private readonly Lock _gate = new();
    private (bool Outdated, DateTimeOffset CheckedAt)? _state;

    public async ValueTask<bool> HasOutdatedParticipantHashesAsync(CancellationToken cancellationToken = default)
    {
        var now = time.GetUtcNow();
        lock (_gate)
        {
            if (_state is { } state && state.CheckedAt + Recheck > now)
            {
                return state.Outdated;
            }
        }

        var outdated = await telemetry.TimeAsync("credential.outdated_exists", async ct =>
        {
            using var command = sources.Read.CreateCommand("SELECT EXISTS (SELECT 1 FROM participants WHERE event_id = $2 AND hash_version <> $1)");
            command.Parameters.Add(Param(hasher.Version));
            command.Parameters.Add(Param(options.Value.EventId));
            return (bool)(await command.ExecuteScalarAsync(ct).ConfigureAwait(false))!;
        }, cancellationToken).ConfigureAwait(false);
        lock (_gate)
        {
            _state = (outdated, now);
        }

        return outdated;
    }

    public async Task<Participant?> FindParticipantByOutdatedHashAsync(IReadOnlyList<CredentialHash> candidates, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(candidates);
        if (candidates.Count == 0)
        {
            return null;
        }

        var hashes = new byte[candidates.Count][];
        for (var i = 0; i < hashes.Length; i++)
        {
            hashes[i] = candidates[i].ToArray();
        }

        return await telemetry.TimeAsync("credential.find_outdated", async ct =>
        {
            // The primary: a re-hash that follows must see the row this read found.
            using var command = sources.Write.CreateCommand(FindSql);
            command.Parameters.Add(Param(hashes));
            command.Parameters.Add(Param(hasher.Version));
            command.Parameters.Add(Param(options.Value.EventId));
            return await ReadFirstAsync(command, ReadParticipant, ct).ConfigureAwait(false);
        }, cancellationToken).ConfigureAwait(false);
    }

    public Task<bool> UpgradeScannerKeyHashAsync(long scannerId, CredentialHash outdated, CredentialHash current, CancellationToken cancellationToken = default)
        => UpgradeAsync("scanners", scannerId, outdated, current, cancellationToken);

    public Task<bool> UpgradeGatewayKeyHashAsync(long gatewayId, CredentialHash outdated, CredentialHash current, CancellationToken cancellationToken = default)
        => UpgradeAsync("gateways", gatewayId, outdated, current, cancellationToken);

    private async Task<bool> UpgradeAsync(string table, long id, CredentialHash outdated, CredentialHash current, CancellationToken cancellationToken)
        => await telemetry.TimeAsync(table == "scanners" ? "scanner.rehash_key" : "gateway.rehash_key", async ct =>
        {
            // Only while the row still holds the outdated hash (a rotation in between wins), and only the node's event's.
            using var command = sources.Write.CreateCommand($"UPDATE {table} SET api_key_hash = $3, hash_version = $4 WHERE id = $1 AND api_key_hash = $2 AND event_id = $5");
            command.Parameters.Add(Param(id));
            command.Parameters.Add(Param(outdated.ToArray()));
            command.Parameters.Add(Param(current.ToArray()));
            command.Parameters.Add(Param(hasher.Version));
            command.Parameters.Add(Param(options.Value.EventId));
            return await command.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
        }, cancellationToken).ConfigureAwait(false) > 0;
}
