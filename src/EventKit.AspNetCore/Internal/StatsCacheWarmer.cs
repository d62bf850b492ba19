using EventKit.Caching;
using Microsoft.Extensions.Caching.Hybrid;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace EventKit.AspNetCore.Internal;

/// <summary>
/// Preloads the statistics dashboards poll (<c>stats:gates</c>, <c>active_gates</c>, <c>stats:overall</c>) when the
/// host starts, on every warming run (<c>EventKit:Caching:WarmingInterval</c>) and when the <c>rewarm_caches</c> recovery
/// action runs, so the first viewer does not pay for the queries. Runs only with EventKit.Caching's warmers
/// (<c>.AddHybridCaching()</c>) and a storage package.
/// </summary>
internal sealed class StatsCacheWarmer(IServiceProvider services, TimeProvider time, IOptions<EventKitOptions> options) : ICacheWarmer
{
    public async ValueTask WarmAsync(HybridCache cache, CancellationToken cancellationToken)
    {
        if (services.GetService<IAttendanceReader>() is not { } attendance || services.GetService<IGateDirectory>() is not { } gates)
        {
            return;
        }

        var eventId = options.Value.EventId;
        var perGate = await CachedStats.LoadGateStatsAsync(attendance, time, cancellationToken).ConfigureAwait(false);
        await cache.SetAsync(CachedStats.GateStatsKey, perGate, CachedStats.Analytics, cancellationToken: cancellationToken).ConfigureAwait(false);
        var active = await CachedStats.LoadActiveGatesAsync(gates, eventId, cancellationToken).ConfigureAwait(false);
        await cache.SetAsync(CachedStats.ActiveGatesKey(eventId), active, CachedStats.Analytics, CachedStats.GateTags(eventId), cancellationToken).ConfigureAwait(false);
        var overall = await CachedStats.ComposeOverallAsync(perGate, active, gates, time, eventId, cancellationToken).ConfigureAwait(false);
        await cache.SetAsync(CachedStats.OverallKey(eventId), overall, CachedStats.Analytics, CachedStats.GateTags(eventId), cancellationToken).ConfigureAwait(false);
    }
}
