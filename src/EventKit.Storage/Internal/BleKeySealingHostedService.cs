using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Npgsql;
using NpgsqlTypes;

namespace EventKit.Storage.Internal;

/// <summary>
/// At start, when a key is configured (after the migrations, before other services): checks that the configured keys open
/// what is already sealed (a wrong key fails the start, naming the setting), then seals every plaintext identity key and
/// re-seals keys sealed under a previous key. After it, the database alone cannot compute EIDs.
/// </summary>
/// <remarks>Rows are updated only if they still hold what was read, so nodes starting together, or a key provisioned
/// meanwhile, never lose a write.</remarks>
internal sealed class BleKeySealingHostedService(StorageDataSources sources, BleKeySealer sealer, ILogger<BleKeySealingHostedService> logger) : IHostedService
{
    private const int BatchSize = 1000;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (!sealer.HasKey)
        {
            return;
        }

        await VerifyAsync(cancellationToken).ConfigureAwait(false);
        var (plaintext, resealed) = await SealAsync(cancellationToken).ConfigureAwait(false);
        if (plaintext + resealed > 0)
        {
            Log.BleKeysSealed(logger, plaintext, resealed, sealer.CurrentKeyId);
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>One sealed row per key id must open with the configured keys.</summary>
    internal async Task VerifyAsync(CancellationToken cancellationToken)
    {
        using var command = sources.Write.CreateCommand(
            "SELECT DISTINCT ON (get_byte(ble_identity_key_sealed, 1)) id, ble_identity_key_sealed FROM participants " +
            "WHERE ble_identity_key_sealed IS NOT NULL ORDER BY get_byte(ble_identity_key_sealed, 1), id");
        var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        await using (reader.ConfigureAwait(false))
        {
            var identityKey = new byte[BleIdentity.KeyLength];
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                var id = reader.GetInt64(0);
                var sealedKey = reader.GetFieldValue<byte[]>(1);
                if (!sealer.TryOpen(id, sealedKey, identityKey))
                {
                    throw new InvalidOperationException(sealer.CannotOpenMessage(id, sealedKey[1]));
                }
            }

            Array.Clear(identityKey);
        }
    }

    internal async Task<(int Plaintext, int Resealed)> SealAsync(CancellationToken cancellationToken)
    {
        int plaintext = 0, resealed = 0;
        var after = 0L;
        while (true)
        {
            var rows = new List<(long Id, byte[]? Plain, byte[]? Sealed)>();
            using (var select = sources.Write.CreateCommand(
                "SELECT id, ble_identity_key, ble_identity_key_sealed FROM participants " +
                "WHERE id > $1 AND (ble_identity_key IS NOT NULL OR (ble_identity_key_sealed IS NOT NULL AND get_byte(ble_identity_key_sealed, 1) <> $2)) " +
                "ORDER BY id LIMIT $3"))
            {
                select.Parameters.Add(new NpgsqlParameter<long> { TypedValue = after });
                select.Parameters.Add(new NpgsqlParameter<int> { TypedValue = sealer.CurrentKeyId });
                select.Parameters.Add(new NpgsqlParameter<int> { TypedValue = BatchSize });
                var reader = await select.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
                await using (reader.ConfigureAwait(false))
                {
                    while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                    {
                        rows.Add((reader.GetInt64(0), reader.IsDBNull(1) ? null : reader.GetFieldValue<byte[]>(1), reader.IsDBNull(2) ? null : reader.GetFieldValue<byte[]>(2)));
                    }
                }
            }

            if (rows.Count == 0)
            {
                return (plaintext, resealed);
            }

            var batch = new NpgsqlBatch();
            await using (batch.ConfigureAwait(false))
            {
                foreach (var (id, plain, old) in rows)
                {
                    var opened = plain is null ? sealer.Open(id, old) : null;
                    var command = new NpgsqlBatchCommand(plain is not null
                        ? "UPDATE participants SET ble_identity_key_sealed = $2, ble_identity_key = NULL WHERE id = $1 AND ble_identity_key = $3"
                        : "UPDATE participants SET ble_identity_key_sealed = $2 WHERE id = $1 AND ble_identity_key_sealed = $3");
                    command.Parameters.Add(new NpgsqlParameter<long> { TypedValue = id });
                    command.Parameters.Add(new NpgsqlParameter { Value = sealer.Seal(id, plain ?? opened), NpgsqlDbType = NpgsqlDbType.Bytea });
                    command.Parameters.Add(new NpgsqlParameter { Value = plain ?? old, NpgsqlDbType = NpgsqlDbType.Bytea });
                    batch.BatchCommands.Add(command);
                    if (opened is not null)
                    {
                        Array.Clear(opened);
                    }
                }

                var connection = await sources.Write.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
                await using (connection.ConfigureAwait(false))
                {
                    batch.Connection = connection;
                    await batch.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
                }
            }

            foreach (var (_, plain, _) in rows)
            {
                if (plain is not null)
                {
                    plaintext++;
                }
                else
                {
                    resealed++;
                }
            }

            after = rows[^1].Id;
        }
    }
}
