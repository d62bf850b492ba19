using Microsoft.Extensions.Caching.Hybrid;

namespace EventKit.Caching.Internal;

/// <summary>
/// Participants through the cache: credential → participant and id → participant, both tagged <c>participant:{id}</c>
/// so that a status or credential change invalidates every copy on every node. Unknown credentials are cached as
/// "not found" for <see cref="HybridCachingOptions.NegativeExpiration"/>, so floods of bad tokens stop at the cache.
/// </summary>
internal sealed class CachedParticipantDirectory(IParticipantDirectory inner, DefaultHybridCache cache, HybridCachingOptions options) : IParticipantDirectory
{
    private const string CredentialKeyPrefix = "participant:cred:";
    private static readonly Func<Participant?, string[]?> TagsOfValue = static participant => participant is null ? null : [Tag(participant.Id)];
    private readonly HybridCacheEntryOptions _entryOptions = options.Policies.Participant.ToEntryOptions();

    /// <summary>The key of a credential: the hex digits of its (peppered, <see cref="CredentialHasher"/>) hash, never the token.</summary>
    internal static string CredentialKey(CredentialHash credential) =>
        string.Create(CredentialKeyPrefix.Length + (CredentialHash.Length * 2), credential, static (span, hash) =>
        {
            CredentialKeyPrefix.CopyTo(span);
            Span<byte> bytes = stackalloc byte[CredentialHash.Length];
            hash.CopyTo(bytes);
            Convert.TryToHexStringLower(bytes, span[CredentialKeyPrefix.Length..], out _);
        });

    internal static string IdKey(long participantId) => string.Concat("participant:id:", participantId.ToString(System.Globalization.CultureInfo.InvariantCulture));

    /// <summary>Participant entries written to this node's L1 only (warming, import write-through).</summary>
    internal static HybridCacheEntryOptions LocalOnlyEntry(HybridCachingOptions options)
    {
        var policy = options.Policies.Participant.ToEntryOptions();
        return new HybridCacheEntryOptions
        {
            Expiration = policy.Expiration,
            LocalCacheExpiration = policy.LocalCacheExpiration,
            Flags = HybridCacheEntryFlags.DisableDistributedCache,
        };
    }

    internal static string Tag(long participantId) => string.Concat("participant:", participantId.ToString(System.Globalization.CultureInfo.InvariantCulture));

    public ValueTask<Participant?> FindByCredentialAsync(CredentialHash credential, CancellationToken cancellationToken = default) =>
        cache.GetOrCreateCoreAsync(
            CredentialKey(credential),
            (inner, credential),
            static (state, token) => state.inner.FindByCredentialAsync(state.credential, token),
            _entryOptions,
            tags: null,
            TagsOfValue,
            cancellationToken);

    public ValueTask<Participant?> GetAsync(long participantId, CancellationToken cancellationToken = default) =>
        cache.GetOrCreateCoreAsync(
            IdKey(participantId),
            (inner, participantId),
            static (state, token) => state.inner.GetAsync(state.participantId, token),
            _entryOptions,
            [Tag(participantId)],
            tagsFromValue: null,
            cancellationToken);

    /// <summary>Cached ids from the cache, the rest in one batch from the inner directory (no N+1), then cached.</summary>
    public async Task<IReadOnlyList<Participant>> GetManyAsync(IReadOnlyCollection<long> participantIds, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(participantIds);
        cancellationToken.ThrowIfCancellationRequested();
        var ids = participantIds as IReadOnlyList<long> ?? [.. participantIds];
        var keys = new string[ids.Count];
        for (var i = 0; i < keys.Length; i++)
        {
            keys[i] = IdKey(ids[i]);
        }

        // L1, then one MGET for everything L1 lacked; a cached "not found" is asked of the store again, as before.
        var cached = await cache.GetManyAsync<Participant?>(keys).ConfigureAwait(false);
        var found = new List<Participant>(ids.Count);
        List<long>? missing = null;
        for (var i = 0; i < cached.Length; i++)
        {
            if (cached[i].Value is { } participant)
            {
                found.Add(participant);
            }
            else
            {
                (missing ??= []).Add(ids[i]);
            }
        }

        if (missing is null)
        {
            return found;
        }

        foreach (var participant in await inner.GetManyAsync(missing, cancellationToken).ConfigureAwait(false))
        {
            found.Add(participant);

            // A read fills the cache the way a miss does, never with SetAsync: a set is a change and would be published on
            // the backplane, evicting this participant from every other node's L1 because somebody read it.
            await cache.GetOrCreateAsync(IdKey(participant.Id), participant, static (loaded, _) => ValueTask.FromResult<Participant?>(loaded), _entryOptions, [Tag(participant.Id)], cancellationToken).ConfigureAwait(false);
        }

        return found;
    }
}
