using Microsoft.Extensions.Caching.Hybrid;

namespace EventKit.Caching.Internal;

/// <summary>Invalidates cached participants (on every node) after the inner registry changed them.</summary>
internal sealed class CachedParticipantRegistry(IParticipantRegistry inner, HybridCache cache, HybridCachingOptions options, CredentialHasher hasher) : IParticipantRegistry
{
    private readonly HybridCacheEntryOptions _localEntry = CachedParticipantDirectory.LocalOnlyEntry(options);

    public async Task<IReadOnlyList<long>> RegisterAsync(long eventId, IReadOnlyList<NewParticipant> participants, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(participants);
        var ids = await inner.RegisterAsync(eventId, participants, cancellationToken).ConfigureAwait(false);

        // New credentials and ids may have been cached as "not found".
        var keys = new string[participants.Count + ids.Count];
        for (var i = 0; i < participants.Count; i++)
        {
            keys[i] = CachedParticipantDirectory.CredentialKey(hasher.Compute(participants[i].Credential));
        }

        for (var i = 0; i < ids.Count; i++)
        {
            keys[participants.Count + i] = CachedParticipantDirectory.IdKey(ids[i]);
        }

        await cache.RemoveAsync(keys, CancellationToken.None).ConfigureAwait(false);

        // Write-through on this node: the new active participants' first scans are L1 hits. (Other nodes dropped any
        // "not found" they held through the removal above and load from L2/PostgreSQL on first use.)
        for (var i = 0; i < participants.Count; i++)
        {
            var item = participants[i];
            if (item.Status == ParticipantStatus.Active)
            {
                await cache.SetAsync<Participant?>(
                    keys[i],
                    new Participant(ids[i], eventId, item.Name, item.Email, item.Status, item.ExternalRef),
                    _localEntry,
                    [CachedParticipantDirectory.Tag(ids[i])],
                    CancellationToken.None).ConfigureAwait(false);
            }
        }

        return ids;
    }

    public async Task<bool> SetStatusAsync(long participantId, ParticipantStatus status, CancellationToken cancellationToken = default)
    {
        var changed = await inner.SetStatusAsync(participantId, status, cancellationToken).ConfigureAwait(false);
        if (changed)
        {
            await cache.RemoveByTagAsync(CachedParticipantDirectory.Tag(participantId), CancellationToken.None).ConfigureAwait(false);
        }

        return changed;
    }

    public async Task<bool> ReplaceCredentialAsync(long participantId, string newCredential, CancellationToken cancellationToken = default)
    {
        var changed = await inner.ReplaceCredentialAsync(participantId, newCredential, cancellationToken).ConfigureAwait(false);
        if (changed)
        {
            // The old credential's entry carries the participant's tag; the new one may be cached as "not found".
            await cache.RemoveByTagAsync(CachedParticipantDirectory.Tag(participantId), CancellationToken.None).ConfigureAwait(false);
            await cache.RemoveAsync(CachedParticipantDirectory.CredentialKey(hasher.Compute(newCredential)), CancellationToken.None).ConfigureAwait(false);
        }

        return changed;
    }

    public async Task<bool> UpdateAsync(long participantId, ParticipantStatus? status, string? newCredential, CancellationToken cancellationToken = default)
    {
        var changed = await inner.UpdateAsync(participantId, status, newCredential, cancellationToken).ConfigureAwait(false);
        if (changed)
        {
            await cache.RemoveByTagAsync(CachedParticipantDirectory.Tag(participantId), CancellationToken.None).ConfigureAwait(false);
            if (newCredential is not null)
            {
                await cache.RemoveAsync(CachedParticipantDirectory.CredentialKey(hasher.Compute(newCredential)), CancellationToken.None).ConfigureAwait(false);
            }
        }

        return changed;
    }
}
