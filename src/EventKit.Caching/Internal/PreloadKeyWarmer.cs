using Microsoft.Extensions.Caching.Hybrid;

namespace EventKit.Caching.Internal;

/// <summary>Preloads one named key with a <see cref="CachePolicy"/>.</summary>
internal sealed class PreloadKeyWarmer<T>(string key, CachePolicy policy, IServiceProvider services, Func<IServiceProvider, CancellationToken, ValueTask<T>> load) : ICacheWarmer
{
    public async ValueTask WarmAsync(HybridCache cache, CancellationToken cancellationToken)
    {
        var value = await load(services, cancellationToken).ConfigureAwait(false);
        await cache.SetAsync(key, value, policy.ToEntryOptions(), cancellationToken: cancellationToken).ConfigureAwait(false);
    }
}
