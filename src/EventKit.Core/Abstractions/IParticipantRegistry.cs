namespace EventKit;

/// <summary>Changes participants: registration, status and credential changes.</summary>
/// <remarks>Caching decorates this to invalidate cached copies (on every node) when something changes.</remarks>
public interface IParticipantRegistry
{
    /// <summary>Registers participants for an event, all or nothing.</summary>
    /// <param name="eventId">The event.</param>
    /// <param name="participants">The participants; credentials must be unique among active participants.</param>
    /// <param name="cancellationToken">Cancels the import; nothing is stored then.</param>
    /// <returns>The new ids, in input order.</returns>
    /// <exception cref="ParticipantImportException">An item is invalid or its credential is taken; nothing was stored.</exception>
    Task<IReadOnlyList<long>> RegisterAsync(long eventId, IReadOnlyList<NewParticipant> participants, CancellationToken cancellationToken = default);

    /// <summary>Sets a participant's status. Returns <see langword="false"/> if there is no such participant.</summary>
    Task<bool> SetStatusAsync(long participantId, ParticipantStatus status, CancellationToken cancellationToken = default);

    /// <summary>Replaces a participant's credential; the old one stops resolving. Returns <see langword="false"/> if there is no such participant.</summary>
    /// <exception cref="ParticipantImportException">The new credential is held by another active participant.</exception>
    Task<bool> ReplaceCredentialAsync(long participantId, string newCredential, CancellationToken cancellationToken = default);

    /// <summary>Changes a participant's status and/or credential in one step: both changes are applied, or neither.</summary>
    /// <param name="participantId">The participant.</param>
    /// <param name="status">The new status, or <see langword="null"/> to keep it.</param>
    /// <param name="newCredential">The new token, or <see langword="null"/> to keep the credential.</param>
    /// <param name="cancellationToken">Cancels the update.</param>
    /// <returns><see langword="false"/> if there is no such participant.</returns>
    /// <exception cref="ParticipantImportException">After the change, another active participant would hold the same credential; nothing was changed.</exception>
    Task<bool> UpdateAsync(long participantId, ParticipantStatus? status, string? newCredential, CancellationToken cancellationToken = default);
}
