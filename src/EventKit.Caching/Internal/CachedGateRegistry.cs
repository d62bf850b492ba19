using Microsoft.Extensions.Caching.Hybrid;

namespace EventKit.Caching.Internal;

/// <summary>Invalidates cached gates (on every node) after the inner registry changed them.</summary>
internal sealed class CachedGateRegistry(IGateRegistry inner, HybridCache cache) : IGateRegistry
{
    public async Task<Gate> CreateAsync(long eventId, string name, GateKind kind, bool isOpen, CancellationToken cancellationToken = default)
    {
        var gate = await inner.CreateAsync(eventId, name, kind, isOpen, cancellationToken).ConfigureAwait(false);
        await cache.RemoveByTagAsync(CachedGateDirectory.EventTag(eventId), CancellationToken.None).ConfigureAwait(false);
        return gate;
    }

    public async Task<bool> SetOpenAsync(long gateId, bool isOpen, CancellationToken cancellationToken = default)
    {
        var changed = await inner.SetOpenAsync(gateId, isOpen, cancellationToken).ConfigureAwait(false);
        if (changed)
        {
            await cache.RemoveByTagAsync(CachedGateDirectory.Tag(gateId), CancellationToken.None).ConfigureAwait(false);
        }

        return changed;
    }
}
