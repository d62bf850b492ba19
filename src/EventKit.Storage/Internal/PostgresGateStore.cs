using static EventKit.Storage.Internal.Mapping;

namespace EventKit.Storage.Internal;

/// <summary>Gates on PostgreSQL.</summary>
internal sealed class PostgresGateStore(StorageDataSources sources, StorageTelemetry telemetry) : IGateDirectory, IGateRegistry
{
    public ValueTask<Gate?> GetAsync(long gateId, CancellationToken cancellationToken = default)
        => new(telemetry.TimeAsync(QueryNames.GateById, async ct =>
        {
            using var command = sources.Write.CreateCommand($"SELECT {GateColumns} FROM gates WHERE id = $1");
            command.Parameters.Add(Param(gateId));
            return await ReadFirstAsync(command, ReadGate, ct).ConfigureAwait(false);
        }, cancellationToken));

    public async Task<IReadOnlyList<Gate>> GetAllAsync(long eventId, CancellationToken cancellationToken = default)
        => await telemetry.TimeAsync(QueryNames.GatesByEvent, async ct =>
        {
            using var command = sources.Read.CreateCommand($"SELECT {GateColumns} FROM gates WHERE event_id = $1 ORDER BY id");
            command.Parameters.Add(Param(eventId));
            return await ReadAllAsync(command, ReadGate, ct).ConfigureAwait(false);
        }, cancellationToken).ConfigureAwait(false);

    public async Task<Gate> CreateAsync(long eventId, string name, GateKind kind, bool isOpen, CancellationToken cancellationToken = default)
    {
        // Validates like the model does, before anything reaches the database.
        _ = new Gate(1, eventId, name, kind, isOpen);
        return (await telemetry.TimeAsync(QueryNames.GateCreate, async ct =>
        {
            using var command = sources.Write.CreateCommand($"INSERT INTO gates (event_id, name, kind, is_open) VALUES ($1, $2, $3, $4) RETURNING {GateColumns}");
            command.Parameters.Add(Param(eventId));
            command.Parameters.Add(Param(name));
            command.Parameters.Add(Param((short)kind));
            command.Parameters.Add(Param(isOpen));
            return await ReadFirstAsync(command, ReadGate, ct).ConfigureAwait(false);
        }, cancellationToken).ConfigureAwait(false))!;
    }

    public async Task<bool> SetOpenAsync(long gateId, bool isOpen, CancellationToken cancellationToken = default)
        => await telemetry.TimeAsync(QueryNames.GateSetOpen, async ct =>
        {
            using var command = sources.Write.CreateCommand("UPDATE gates SET is_open = $2 WHERE id = $1");
            command.Parameters.Add(Param(gateId));
            command.Parameters.Add(Param(isOpen));
            return await command.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
        }, cancellationToken).ConfigureAwait(false) > 0;
}
