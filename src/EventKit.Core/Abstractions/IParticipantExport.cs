namespace EventKit;

/// <summary>Streams an event's participants with their credential hashes: what cache warming needs to make first scans hits.</summary>
public interface IParticipantExport
{
    /// <summary>The event's active participants, streamed (memory stays flat whatever the count).</summary>
    IAsyncEnumerable<ParticipantCredential> ReadActiveAsync(long eventId, CancellationToken cancellationToken = default);
}
