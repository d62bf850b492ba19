namespace EventKit;

/// <summary>Full-text search over participants' names and e-mail addresses, keyset-paged.</summary>
public interface IParticipantSearch
{
    /// <summary>Searches an event's participants.</summary>
    /// <param name="eventId">The event.</param>
    /// <param name="query">Words to find; every word must match the start of a word in the name or e-mail.</param>
    /// <param name="limit">Page size, 1 to 1000.</param>
    /// <param name="after">The previous page's cursor, or <see langword="null"/>.</param>
    /// <param name="cancellationToken">Cancels the search.</param>
    Task<Page<Participant>> SearchAsync(long eventId, string query, int limit = 20, string? after = null, CancellationToken cancellationToken = default);
}

/// <summary>Stores and lists participants' Eddystone-EID identities for the BLE resolver.</summary>
public interface IBleIdentityStore
{
    /// <summary>Stores (or replaces) a participant's identity. Returns <see langword="false"/> if there is no such participant.</summary>
    Task<bool> SetAsync(BleIdentity identity, CancellationToken cancellationToken = default);

    /// <summary>The identities of an event's active participants.</summary>
    Task<IReadOnlyList<BleIdentity>> GetActiveAsync(long eventId, CancellationToken cancellationToken = default);
}

/// <summary>A participant with the hash of the credential they hold.</summary>
/// <param name="Participant">The participant.</param>
/// <param name="Credential">The hash of their token (<see cref="CredentialHasher"/>).</param>
public readonly record struct ParticipantCredential(Participant Participant, CredentialHash Credential);

/// <summary>Streams an event's participants with their credential hashes: what cache warming needs to make first scans hits.</summary>
public interface IParticipantExport
{
    /// <summary>The event's active participants, streamed (memory stays flat whatever the count).</summary>
    IAsyncEnumerable<ParticipantCredential> ReadActiveAsync(long eventId, CancellationToken cancellationToken = default);
}
