using System.Security.Cryptography;
using Npgsql;
using static EventKit.Storage.Internal.Mapping;

namespace EventKit.Storage.Internal;

/// <summary>BLE gateways on PostgreSQL; API keys are generated here and only their hash (<see cref="CredentialHasher"/>) is stored.</summary>
internal sealed class PostgresGatewayStore(StorageDataSources sources, StorageTelemetry telemetry, CredentialHasher hasher) : IGatewayRegistry
{
    private const string Register = "gateway.register";
    private const string ById = "gateway.by_id";
    private const string Rotate = "gateway.rotate_key";
    private const string Revoke = "gateway.revoke";
    private const string Columns = "id, event_id, name, gate_id, api_key_hash";

    public async Task<GatewayRegistration> RegisterAsync(long eventId, string name, long gateId, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(eventId);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(gateId);
        if (string.IsNullOrWhiteSpace(name) || name.Length > 100)
        {
            throw new ArgumentException("A gateway name is 1 to 100 characters.", nameof(name));
        }

        var apiKey = Base64UrlKey();
        var hash = hasher.Compute(apiKey);
        var gateway = await telemetry.TimeAsync(Register, async ct =>
        {
            // The gate must exist and belong to the event: checked in the same statement, so a racing delete cannot slip between.
            using var command = sources.Write.CreateCommand(
                $"INSERT INTO gateways (event_id, name, gate_id, api_key_hash, hash_version) SELECT $1, $2, g.id, $4, {hasher.Version} FROM gates g WHERE g.id = $3 AND g.event_id = $1 RETURNING {Columns}");
            command.Parameters.Add(Param(eventId));
            command.Parameters.Add(Param(name));
            command.Parameters.Add(Param(gateId));
            command.Parameters.Add(Param(hash.ToArray()));
            return await ReadFirstAsync(command, ReadGateway, ct).ConfigureAwait(false);
        }, cancellationToken).ConfigureAwait(false);

        return gateway is null
            ? throw new UnknownGateException($"Gate {gateId} does not exist in event {eventId}.", nameof(gateId), [gateId])
            : new GatewayRegistration(gateway, apiKey);
    }

    public Task<Gateway?> GetAsync(long gatewayId, CancellationToken cancellationToken = default)
        => telemetry.TimeAsync(ById, async ct =>
        {
            using var command = sources.Write.CreateCommand($"SELECT {Columns} FROM gateways WHERE id = $1 AND revoked_at IS NULL");
            command.Parameters.Add(Param(gatewayId));
            return await ReadFirstAsync(command, ReadGateway, ct).ConfigureAwait(false);
        }, cancellationToken);

    public async Task<GatewayRegistration?> RotateKeyAsync(long eventId, long gatewayId, CancellationToken cancellationToken = default)
    {
        var apiKey = Base64UrlKey();
        var gateway = await telemetry.TimeAsync(Rotate, async ct =>
        {
            using var command = sources.Write.CreateCommand(
                $"UPDATE gateways SET api_key_hash = $3, hash_version = {hasher.Version}, rotated_at = now() WHERE id = $1 AND event_id = $2 AND revoked_at IS NULL RETURNING {Columns}");
            command.Parameters.Add(Param(gatewayId));
            command.Parameters.Add(Param(eventId));
            command.Parameters.Add(Param(hasher.Compute(apiKey).ToArray()));
            return await ReadFirstAsync(command, ReadGateway, ct).ConfigureAwait(false);
        }, cancellationToken).ConfigureAwait(false);
        return gateway is null ? null : new GatewayRegistration(gateway, apiKey);
    }

    public async Task<bool> RevokeAsync(long eventId, long gatewayId, CancellationToken cancellationToken = default)
        => await telemetry.TimeAsync(Revoke, async ct =>
        {
            using var command = sources.Write.CreateCommand("UPDATE gateways SET revoked_at = now() WHERE id = $1 AND event_id = $2 AND revoked_at IS NULL");
            command.Parameters.Add(Param(gatewayId));
            command.Parameters.Add(Param(eventId));
            return await command.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
        }, cancellationToken).ConfigureAwait(false) > 0;

    private static Gateway ReadGateway(NpgsqlDataReader reader)
        => new(reader.GetInt64(0), reader.GetInt64(1), reader.GetString(2), reader.GetInt64(3), CredentialHash.FromBytes((byte[])reader[4]));

    private static string Base64UrlKey()
    {
        Span<byte> bytes = stackalloc byte[32];
        RandomNumberGenerator.Fill(bytes);
        return System.Buffers.Text.Base64Url.EncodeToString(bytes);
    }
}
