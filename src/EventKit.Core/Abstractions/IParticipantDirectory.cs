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
