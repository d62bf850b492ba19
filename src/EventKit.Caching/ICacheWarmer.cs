using Microsoft.Extensions.Caching.Hybrid;

namespace EventKit.Caching;

/// <summary>Fills the cache with critical keys when the host starts (and on <see cref="HybridCachingOptions.WarmingInterval"/> if set).</summary>
/// <remarks>Register with <c>.AddCacheWarmer&lt;T&gt;()</c> or <c>.PreloadCacheKey(...)</c>. A warmer that throws is logged and does not stop the host.</remarks>
public interface ICacheWarmer
{
    /// <summary>Loads entries, typically with <see cref="HybridCache.SetAsync{T}"/>.</summary>
    ValueTask WarmAsync(HybridCache cache, CancellationToken cancellationToken);
}
