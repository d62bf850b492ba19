using System.Diagnostics;
using System.Runtime.CompilerServices;
using static EventKit.Storage.Internal.Mapping;

namespace EventKit.Storage.Internal;

/// <summary>Streams an event's active participants with their token hashes (one query, read from the replica when there is one).</summary>
/// <remarks>Timed as <c>participant.export_active</c> from the query to the end of the stream (the consumer's time included).</remarks>
internal sealed class PostgresParticipantExport(StorageDataSources sources, StorageTelemetry telemetry) : IParticipantExport
{
    private static readonly OperationCanceledException StoppedEarly = new("The stream was not read to its end.");

    public async IAsyncEnumerable<ParticipantCredential> ReadActiveAsync(long eventId, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(eventId);
        var started = Stopwatch.GetTimestamp();
        var completed = false;
        using var command = sources.Read.CreateCommand($"SELECT {ParticipantColumns}, token_hash FROM participants WHERE event_id = $1 AND status = 'active'");
        command.Parameters.Add(Param(eventId));
        try
        {
            var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            await using (reader.ConfigureAwait(false))
            {
                var hashOrdinal = reader.FieldCount - 1;
                var hash = new byte[CredentialHash.Length];
                while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                {
                    reader.GetBytes(hashOrdinal, 0, hash, 0, hash.Length);
                    yield return new ParticipantCredential(ReadParticipant(reader), CredentialHash.FromBytes(hash));
                }
            }

            completed = true;
        }
        finally
        {
            telemetry.Record(QueryNames.ParticipantExport, started, completed ? null : StoppedEarly);
        }
    }
}
