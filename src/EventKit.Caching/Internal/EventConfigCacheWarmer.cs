using Microsoft.Extensions.Caching.Hybrid;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace EventKit.Caching.Internal;

/// <summary>
/// Preloads the seeds' critical key <c>event_config:{id}</c> (this node's event settings) through the cached
/// <see cref="IEventDirectory"/>, at start and on every warming run. Registered by <c>AddCachedDirectories()</c>; does
/// nothing without an event directory (EventKit.Storage has one).
/// </summary>
internal sealed class EventConfigCacheWarmer(IServiceProvider services, IOptions<EventKitOptions> eventKit) : ICacheWarmer
{
    public async ValueTask WarmAsync(HybridCache cache, CancellationToken cancellationToken)
    {
        if (services.GetService<IEventDirectory>() is { } events)
        {
            await events.GetAsync(eventKit.Value.EventId, cancellationToken).ConfigureAwait(false);
        }
    }
}
