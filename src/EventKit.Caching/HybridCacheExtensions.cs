using EventKit.Caching.Internal;
using Microsoft.Extensions.Caching.Hybrid;

namespace EventKit.Caching;

/// <summary>EventKit additions to <see cref="HybridCache"/>.</summary>
public static class HybridCacheExtensions
{
    /// <summary>
    /// Removes every entry whose key starts with <paramref name="prefix"/>, in L1 on every node and in L2
    /// (Redis <c>SCAN</c> + <c>UNLINK</c> in batches; never <c>KEYS</c>, which blocks Redis).
    /// </summary>
    /// <param name="cache">EventKit's cache (from <c>.AddHybridCaching()</c>).</param>
    /// <param name="prefix">The key prefix, for example <c>stats:</c>; not empty.</param>
    /// <param name="cancellationToken">Stops between batches.</param>
    /// <returns>The number of L2 keys removed.</returns>
    /// <exception cref="NotSupportedException"><paramref name="cache"/> is not EventKit's.</exception>
    public static ValueTask<long> RemoveByPrefixAsync(this HybridCache cache, string prefix, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(cache);
        ArgumentException.ThrowIfNullOrEmpty(prefix);
        if (cache is not DefaultHybridCache ours)
        {
            throw new NotSupportedException("RemoveByPrefixAsync needs EventKit's HybridCache (.AddHybridCaching()).");
        }

        return ours.RemoveByPrefixAsync(prefix, cancellationToken);
    }
}
