using EventKit.Monitoring;

namespace EventKit.Caching.Internal;

/// <summary>The <c>rewarm_caches</c> recovery action (rules <c>redis_data_loss</c>, <c>cache_hit_ratio_low</c>): runs every cache warmer now.</summary>
internal sealed class RewarmCachesAction(CacheWarmingService warming) : IRecoveryAction
{
    public string Name => RecoveryActionNames.RewarmCaches;

    public async ValueTask<RecoveryResult> ExecuteAsync(RecoveryContext context, CancellationToken cancellationToken)
    {
        var (count, failed) = await warming.RunNowAsync(cancellationToken).ConfigureAwait(false);
        return count == 0
            ? new RecoveryResult(false, "No cache warmer is registered (.AddCacheWarmer<T>() or .PreloadCacheKey(...)).")
            : new RecoveryResult(failed == 0, $"Ran {count} cache warmers ({failed} failed).");
    }
}
