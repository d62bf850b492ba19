using Npgsql;
using static EventKit.Storage.Internal.Mapping;

namespace EventKit.Storage.Internal;

/// <summary>Check-in scanners on PostgreSQL; keys are generated here and only their hash (<see cref="CredentialHasher"/>) is stored.</summary>
internal sealed class PostgresScannerStore(StorageDataSources sources, StorageTelemetry telemetry, CredentialHasher hasher) : IScannerRegistry
{
    private const string Create = "scanner.create";
    private const string ById = "scanner.by_id";
    private const string Rotate = "scanner.rotate_key";
    private const string Revoke = "scanner.revoke";
    private const string Columns = "id, event_id, name, gate_ids, api_key_hash, revoked_at IS NOT NULL";

    public async Task<ScannerRegistration> CreateAsync(long eventId, string name, IReadOnlyList<long> gateIds, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(eventId);
        ArgumentNullException.ThrowIfNull(gateIds);
        if (string.IsNullOrWhiteSpace(name) || name.Length > 100)
        {
            throw new ArgumentException("A scanner name is 1 to 100 characters.", nameof(name));
        }

        var gates = gateIds.Distinct().ToArray();
        if (gates.Length is 0 or > 1000)
        {
            throw new ArgumentException("A scanner is allowed at 1 to 1,000 gates.", nameof(gateIds));
        }

        var scanner = await telemetry.TimeAsync(Create, async ct =>
        {
            var connection = await sources.Write.OpenConnectionAsync(ct).ConfigureAwait(false);
            await using (connection.ConfigureAwait(false))
            {
                long id;
                using (var next = new NpgsqlCommand("SELECT nextval(pg_get_serial_sequence('scanners', 'id'))", connection))
                {
                    id = (long)(await next.ExecuteScalarAsync(ct).ConfigureAwait(false))!;
                }

                var key = ScannerKey.Create(id);

                // Every gate must exist and belong to the event: checked in the same statement.
                using var insert = new NpgsqlCommand(
                    $"INSERT INTO scanners (id, event_id, name, gate_ids, api_key_hash, hash_version) SELECT $1, $2, $3, $4, $5, {hasher.Version} " +
                    $"WHERE (SELECT count(*) FROM gates WHERE id = ANY($4) AND event_id = $2) = cardinality($4) RETURNING {Columns}",
                    connection);
                insert.Parameters.Add(Param(id));
                insert.Parameters.Add(Param(eventId));
                insert.Parameters.Add(Param(name));
                insert.Parameters.Add(Param(gates));
                insert.Parameters.Add(Param(hasher.Compute(key).ToArray()));
                var row = await ReadFirstAsync(insert, ReadScanner, ct).ConfigureAwait(false);
                return row is null ? null : new ScannerRegistration(row, key);
            }
        }, cancellationToken).ConfigureAwait(false);

        return scanner ?? throw new UnknownGateException($"A gate of {string.Join(", ", gates)} does not exist in event {eventId}.", nameof(gateIds), gates);
    }

    public Task<Scanner?> GetAsync(long scannerId, CancellationToken cancellationToken = default)
        => telemetry.TimeAsync(ById, async ct =>
        {
            using var command = sources.Write.CreateCommand($"SELECT {Columns} FROM scanners WHERE id = $1");
            command.Parameters.Add(Param(scannerId));
            return await ReadFirstAsync(command, ReadScanner, ct).ConfigureAwait(false);
        }, cancellationToken);

    public async Task<ScannerRegistration?> RotateKeyAsync(long eventId, long scannerId, CancellationToken cancellationToken = default)
    {
        if (scannerId <= 0)
        {
            return null;
        }

        var key = ScannerKey.Create(scannerId);
        var scanner = await telemetry.TimeAsync(Rotate, async ct =>
        {
            using var command = sources.Write.CreateCommand(
                $"UPDATE scanners SET api_key_hash = $3, hash_version = {hasher.Version}, rotated_at = now() WHERE id = $1 AND event_id = $2 AND revoked_at IS NULL RETURNING {Columns}");
            command.Parameters.Add(Param(scannerId));
            command.Parameters.Add(Param(eventId));
            command.Parameters.Add(Param(hasher.Compute(key).ToArray()));
            return await ReadFirstAsync(command, ReadScanner, ct).ConfigureAwait(false);
        }, cancellationToken).ConfigureAwait(false);
        return scanner is null ? null : new ScannerRegistration(scanner, key);
    }

    public async Task<bool> RevokeAsync(long eventId, long scannerId, CancellationToken cancellationToken = default)
        => await telemetry.TimeAsync(Revoke, async ct =>
        {
            using var command = sources.Write.CreateCommand("UPDATE scanners SET revoked_at = now() WHERE id = $1 AND event_id = $2 AND revoked_at IS NULL");
            command.Parameters.Add(Param(scannerId));
            command.Parameters.Add(Param(eventId));
            return await command.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
        }, cancellationToken).ConfigureAwait(false) > 0;

    private static Scanner ReadScanner(NpgsqlDataReader reader)
        => new(reader.GetInt64(0), reader.GetInt64(1), reader.GetString(2), reader.GetFieldValue<long[]>(3), CredentialHash.FromBytes((byte[])reader[4]), reader.GetBoolean(5));
}
