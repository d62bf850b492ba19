using EventKit;
using EventKit.AspNetCore;
using EventKit.Caching;

/// <summary>
/// <c>GET /sample/stats</c>: this node's check-in counters, admissions PostgreSQL decided (degraded decisions) and cache
/// hit ratios per tier, for the demo's report. (EventKit.Monitoring's <c>/eventkit/metrics</c> is the library's full version.)
/// </summary>
internal static class SampleStats
{
    public static void MapSampleStats(this WebApplication app)
    {
        // Created with the app, so it listens from the first check-in on.
        var degraded = app.Services.GetRequiredService<DegradedDecisionCounter>();
        app.MapGet("/sample/stats", (CheckInCounters counters, IHybridCacheStatistics cache) =>
        {
            var c = cache.GetSnapshot();
            var outcomes = new Dictionary<string, long>();
            foreach (var status in Enum.GetValues<CheckInStatus>())
            {
                outcomes[status.ToString()] = counters.Count(status);
            }

            return Results.Json(new
            {
                checkIns = outcomes,
                degradedDecisions = degraded.Count,
                cache = new
                {
                    l1 = new { hits = c.L1Hits, misses = c.L1Misses, hitRatio = c.L1HitRatio },
                    l2 = new { hits = c.L2Hits, misses = c.L2Misses, hitRatio = c.L2HitRatio },
                    overall = new { hitRatio = c.OverallHitRatio },
                    factoryCalls = c.FactoryCalls,
                    l2Errors = c.L2Errors,
                    circuitOpen = c.IsCircuitOpen,
                },
            });
        }).RequireEventKitAdminKey();
    }
}
