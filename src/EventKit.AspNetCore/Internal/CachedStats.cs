using Microsoft.Extensions.Caching.Hybrid;

namespace EventKit.AspNetCore.Internal;

/// <summary>
/// Statistics every dashboard viewer asks for, read through the host's <see cref="HybridCache"/> with the seeds'
/// analytics lifetime (1 minute), so a hundred viewers cost one query per minute instead of a hundred.
/// </summary>
internal static class CachedStats
{
    public const string GateStatsKey = "stats:gates";

    public static readonly TimeSpan AnalyticsTtl = TimeSpan.FromMinutes(1);

    private static readonly HybridCacheEntryOptions Analytics = new() { Expiration = AnalyticsTtl, LocalCacheExpiration = AnalyticsTtl };

    /// <summary>Admissions per gate over the last 24 hours, at most one minute old.</summary>
    public static ValueTask<GateCountResponse[]> GateStatsAsync(HybridCache cache, IAttendanceReader attendance, TimeProvider time, CancellationToken cancellationToken) =>
        cache.GetOrCreateAsync(
            GateStatsKey,
            (attendance, time),
            static async (state, token) => ToResponse(await state.attendance.CountPerGateSinceAsync(state.time.GetUtcNow().AddHours(-24), token).ConfigureAwait(false)),
            Analytics,
            cancellationToken: cancellationToken);

    public static GateCountResponse[] ToResponse(IReadOnlyList<GateCount> counts)
    {
        var result = new GateCountResponse[counts.Count];
        for (var i = 0; i < result.Length; i++)
        {
            result[i] = new GateCountResponse(counts[i].GateId, counts[i].Count);
        }

        return result;
    }
}
