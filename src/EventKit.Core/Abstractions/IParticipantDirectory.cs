namespace EventKit;

/// <summary>Reads participants: by credential, by id, many ids at once.</summary>
/// <remarks>Implemented by EventKit.Storage over PostgreSQL and decorated by EventKit.Caching.</remarks>
public interface IParticipantDirectory
{
    /// <summary>Finds the participant holding a credential.</summary>
    /// <param name="credential">The credential's hash (EventKit never looks tokens up in plain text).</param>
    /// <param name="cancellationToken">Cancels the lookup.</param>
    /// <returns>
    /// The active participant holding it; failing that, an inactive one (so that callers can answer
    /// "inactive" rather than "unknown"); <see langword="null"/> if nobody holds it.
    /// </returns>
    ValueTask<Participant?> FindByCredentialAsync(CredentialHash credential, CancellationToken cancellationToken = default);

    /// <summary>Gets a participant by id, or <see langword="null"/>.</summary>
    ValueTask<Participant?> GetAsync(long participantId, CancellationToken cancellationToken = default);

    /// <summary>Gets many participants in one round trip. Unknown ids are left out; the order is unspecified.</summary>
    Task<IReadOnlyList<Participant>> GetManyAsync(IReadOnlyCollection<long> participantIds, CancellationToken cancellationToken = default);
}

/// <summary>A participant to register, with the token they will present.</summary>
/// <param name="Name">Display name.</param>
/// <param name="Credential">The token (QR/NFC payload). Stored only as its hash (<see cref="CredentialHasher"/>).</param>
/// <param name="Email">E-mail address, if any.</param>
/// <param name="ExternalRef">The integrator's own id, if any.</param>
/// <param name="Status">Initial status.</param>
public sealed record NewParticipant(string Name, string Credential, string? Email = null, string? ExternalRef = null, ParticipantStatus Status = ParticipantStatus.Active)
{
    /// <summary>A description without the credential.</summary>
    public override string ToString() => $"NewParticipant {{ Name = {Name}, ExternalRef = {ExternalRef}, Status = {Status} }}";
}

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

/// <summary>A participant import or update was refused; nothing of that call was stored.</summary>
public sealed class ParticipantImportException : Exception
{
    /// <summary>Creates the exception.</summary>
    public ParticipantImportException()
    {
    }

    /// <summary>Creates the exception.</summary>
    public ParticipantImportException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception.</summary>
    public ParticipantImportException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Creates the exception for one item of an import.</summary>
    /// <param name="index">The zero-based index of the item at fault.</param>
    /// <param name="field">The field at fault (camelCase).</param>
    /// <param name="message">What is wrong; never contains the credential.</param>
    public ParticipantImportException(int index, string field, string message)
        : base($"Item {index}: {message}")
    {
        Index = index;
        Field = field;
    }

    /// <summary>The zero-based index of the item at fault, if one item is.</summary>
    public int? Index { get; }

    /// <summary>The field at fault, if one is.</summary>
    public string? Field { get; }
}
