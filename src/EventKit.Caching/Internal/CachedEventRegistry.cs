using Microsoft.Extensions.Caching.Hybrid;

namespace EventKit.Caching.Internal;

/// <summary>Invalidates the cached event configuration (on every node) after the inner registry saved it.</summary>
internal sealed class CachedEventRegistry(IEventRegistry inner, HybridCache cache) : IEventRegistry
{
    public async Task<EventSettings> SaveAsync(EventSettings settings, CancellationToken cancellationToken = default)
    {
        var saved = await inner.SaveAsync(settings, cancellationToken).ConfigureAwait(false);
        await cache.RemoveByTagAsync(CachedEventDirectory.Tag(saved.Id), CancellationToken.None).ConfigureAwait(false);
        return saved;
    }
}
