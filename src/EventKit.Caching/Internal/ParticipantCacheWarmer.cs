using System.Globalization;
using Microsoft.Extensions.Caching.Hybrid;
using Microsoft.Extensions.Options;

namespace EventKit.Caching.Internal;

/// <summary>
/// Loads the event's active participants into the cache at start (credential → participant), so the first scan of
/// each attendee is a cache hit rather than a database query:
/// <list type="bullet">
/// <item>this node's L1 takes as many as nine tenths of its capacity (every node warms its own L1);</item>
/// <item>with <see cref="HybridCachingOptions.WarmParticipantsIntoL2"/> and a Redis L2, every active participant also
/// goes to L2, by one node per participant lifetime (the first to claim <c>warm:participants:{eventId}</c>). Written
/// as misses write, so no backplane message evicts anything from other nodes.</item>
/// </list>
/// Registered by <c>AddCachedDirectories()</c>; does nothing without an <see cref="IParticipantExport"/> (EventKit.Storage has one).
/// </summary>
internal sealed class ParticipantCacheWarmer(IServiceProvider services, IOptions<EventKitOptions> eventKit, IOptions<HybridCachingOptions> options) : ICacheWarmer
{
    // Redis writes in flight at once while filling L2.
    private const int FillConcurrency = 64;

    public async ValueTask WarmAsync(HybridCache cache, CancellationToken cancellationToken)
    {
        if (services.GetService(typeof(IParticipantExport)) is not IParticipantExport export)
        {
            return;
        }

        var settings = options.Value;
        var eventId = eventKit.Value.EventId;
        var local = CachedParticipantDirectory.LocalOnlyEntry(settings);
        var fill = cache is DefaultHybridCache { HasL2: true } ours && settings.WarmParticipantsIntoL2
            && await ours.TryClaimAsync(string.Create(CultureInfo.InvariantCulture, $"warm:participants:{eventId}"), settings.Policies.Participant.ToEntryOptions().Expiration ?? TimeSpan.FromMinutes(30)).ConfigureAwait(false)
            ? ours
            : null;
        var both = new HybridCacheEntryOptions { Expiration = local.Expiration, LocalCacheExpiration = local.LocalCacheExpiration };
        var l2Only = new HybridCacheEntryOptions { Expiration = local.Expiration, LocalCacheExpiration = local.LocalCacheExpiration, Flags = HybridCacheEntryFlags.DisableLocalCacheWrite };

        // Leave a tenth of L1 for everything else (gates, ids, negative entries).
        var room = settings.L1Capacity * 9 / 10;
        long loaded = 0;
        var pending = new List<Task>(FillConcurrency);
        await foreach (var item in export.ReadActiveAsync(eventId, cancellationToken).ConfigureAwait(false))
        {
            var inL1 = ++loaded <= room;
            if (!inL1 && fill is null)
            {
                break;
            }

            var key = CachedParticipantDirectory.CredentialKey(item.Credential);
            string[] tags = [CachedParticipantDirectory.Tag(item.Participant.Id)];
            if (fill is null)
            {
                await cache.SetAsync<Participant?>(key, item.Participant, local, tags, cancellationToken).ConfigureAwait(false);
                continue;
            }

            pending.Add(fill.FillAsync<Participant?>(key, item.Participant, inL1 ? both : l2Only, tags).AsTask());
            if (pending.Count == FillConcurrency)
            {
                await Task.WhenAll(pending).ConfigureAwait(false);
                pending.Clear();
            }
        }

        await Task.WhenAll(pending).ConfigureAwait(false);
    }
}
