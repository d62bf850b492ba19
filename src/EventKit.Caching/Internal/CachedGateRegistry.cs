using Microsoft.Extensions.Caching.Hybrid;

namespace EventKit.Caching.Internal;

/// <summary>
/// Invalidates, on every node, what the inner registry's change makes stale: the gate itself and everything tagged
/// <see cref="EventKitCacheTags.Gates"/> for its event (the event's gate list, its open gates and overall statistics),
/// whichever caller made the change (an HTTP endpoint, a recovery action, code calling <see cref="IGateRegistry"/>).
/// </summary>
internal sealed class CachedGateRegistry(IGateRegistry inner, IGateDirectory gates, HybridCache cache) : IGateRegistry
{
    public async Task<Gate> CreateAsync(long eventId, string name, GateKind kind, bool isOpen, CancellationToken cancellationToken = default)
    {
        var gate = await inner.CreateAsync(eventId, name, kind, isOpen, cancellationToken).ConfigureAwait(false);
        await cache.RemoveByTagAsync(EventKitCacheTags.Gates(eventId), CancellationToken.None).ConfigureAwait(false);
        return gate;
    }

    public async Task<bool> SetOpenAsync(long gateId, bool isOpen, CancellationToken cancellationToken = default)
    {
        // A gate never moves to another event, so a cached copy names its event as well as the database does.
        var eventId = (await gates.GetAsync(gateId, cancellationToken).ConfigureAwait(false))?.EventId;
        var changed = await inner.SetOpenAsync(gateId, isOpen, cancellationToken).ConfigureAwait(false);
        if (changed)
        {
            await cache.RemoveByTagAsync(
                eventId is { } id ? [CachedGateDirectory.Tag(gateId), EventKitCacheTags.Gates(id)] : [CachedGateDirectory.Tag(gateId)],
                CancellationToken.None).ConfigureAwait(false);
        }

        return changed;
    }
}
