using System.Globalization;
using System.Runtime.CompilerServices;
using Microsoft.Extensions.Caching.Hybrid;
using Microsoft.Extensions.Options;

namespace EventKit.Caching.Internal;

/// <summary>
/// Loads the event's active participants into the cache at start (credential → participant), so the first scan of
/// each attendee is a cache hit rather than a database query:
/// <list type="bullet">
/// <item>this node's L1 takes as many as nine tenths of its capacity (every node warms its own L1), before the host
/// finishes starting;</item>
/// <item>with <see cref="HybridCachingOptions.WarmParticipantsIntoL2"/> and a Redis L2, every active participant also
/// goes to L2, by one node per participant lifetime (the first to claim <c>warm:participants:{eventId}</c>), in the
/// background (<see cref="BackgroundCacheFill"/>): 100,000 Redis writes do not hold up start or readiness. Written
/// as misses write, so no backplane message evicts anything from other nodes.</item>
/// </list>
/// Registered by <c>AddCachedDirectories()</c>; does nothing without an <see cref="IParticipantExport"/> (EventKit.Storage has one).
/// </summary>
internal sealed class ParticipantCacheWarmer(IServiceProvider services, IOptions<EventKitOptions> eventKit, IOptions<HybridCachingOptions> options, BackgroundCacheFill background) : ICacheWarmer
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

        // Leave a tenth of L1 for everything else (gates, ids, negative entries).
        var room = settings.L1Capacity * 9 / 10;
        long loaded = 0;
        await foreach (var item in export.ReadActiveAsync(eventId, cancellationToken).ConfigureAwait(false))
        {
            if (++loaded > room)
            {
                break;
            }

            await cache.SetAsync<Participant?>(CachedParticipantDirectory.CredentialKey(item.Credential), item.Participant, local, [CachedParticipantDirectory.Tag(item.Participant.Id)], cancellationToken).ConfigureAwait(false);
        }

        if (cache is DefaultHybridCache { HasL2: true } ours && settings.WarmParticipantsIntoL2
            && await ours.TryClaimAsync(string.Create(CultureInfo.InvariantCulture, $"warm:participants:{eventId}"), settings.Policies.Participant.ToEntryOptions().Expiration ?? TimeSpan.FromMinutes(30)).ConfigureAwait(false))
        {
            var l2Only = new HybridCacheEntryOptions { Expiration = local.Expiration, LocalCacheExpiration = local.LocalCacheExpiration, Flags = HybridCacheEntryFlags.DisableLocalCacheWrite };
            background.Start("participants-l2", (count, stopping) => FillL2Async(ours, export, eventId, l2Only, count, stopping));
        }
    }

    /// <summary>Every active participant into L2 (L1 untouched), <see cref="FillConcurrency"/> writes in flight.</summary>
    private static async Task FillL2Async(DefaultHybridCache cache, IParticipantExport export, long eventId, HybridCacheEntryOptions l2Only, StrongBox<long> count, CancellationToken stopping)
    {
        var pending = new List<Task>(FillConcurrency);
        await foreach (var item in export.ReadActiveAsync(eventId, stopping).ConfigureAwait(false))
        {
            pending.Add(cache.FillAsync<Participant?>(CachedParticipantDirectory.CredentialKey(item.Credential), item.Participant, l2Only, [CachedParticipantDirectory.Tag(item.Participant.Id)]).AsTask());
            if (pending.Count == FillConcurrency)
            {
                await Task.WhenAll(pending).ConfigureAwait(false);
                count.Value += pending.Count;
                pending.Clear();
            }
        }

        await Task.WhenAll(pending).ConfigureAwait(false);
        count.Value += pending.Count;
    }
}
