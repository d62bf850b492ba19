using Microsoft.Extensions.Caching.Hybrid;
using Microsoft.Extensions.Options;

namespace EventKit.Caching.Internal;

/// <summary>
/// Loads the event's active participants into this node's L1 (credential → participant), so the first
/// scan of each attendee is a memory hit rather than a database query. Registered by
/// <c>AddCachedDirectories()</c>; does nothing without an <see cref="IParticipantExport"/> (EventKit.Storage has one).
/// Writes L1 only: every node warms itself, and L2 fills as usual.
/// </summary>
internal sealed class ParticipantCacheWarmer(IServiceProvider services, IOptions<EventKitOptions> eventKit, IOptions<HybridCachingOptions> options) : ICacheWarmer
{
    public async ValueTask WarmAsync(HybridCache cache, CancellationToken cancellationToken)
    {
        if (services.GetService(typeof(IParticipantExport)) is not IParticipantExport export)
        {
            return;
        }

        var entry = CachedParticipantDirectory.LocalOnlyEntry(options.Value);

        // Leave a tenth of L1 for everything else (gates, ids, negative entries).
        var room = options.Value.L1Capacity * 9 / 10;
        long loaded = 0;
        await foreach (var item in export.ReadActiveAsync(eventKit.Value.EventId, cancellationToken).ConfigureAwait(false))
        {
            if (++loaded > room)
            {
                break;
            }

            await cache.SetAsync<Participant?>(
                CachedParticipantDirectory.CredentialKey(item.Credential),
                item.Participant,
                entry,
                [CachedParticipantDirectory.Tag(item.Participant.Id)],
                cancellationToken).ConfigureAwait(false);
        }
    }
}
