using EventKit.Caching;
using Microsoft.Extensions.Caching.Hybrid;

namespace EventKit.AspNetCore.Internal;

/// <summary>
/// Statistics every dashboard viewer asks for, read through EventKit's <see cref="HybridCache"/> with the seeds'
/// analytics lifetime (1 minute), so a hundred viewers cost one query per minute instead of a hundred.
/// <see cref="StatsCacheWarmer"/> preloads them (the seeds' critical keys <c>stats:overall</c> and <c>active_gates</c>).
/// </summary>
internal static class CachedStats
{
    // Admissions per gate of every event in the database (each endpoint keeps its own event's gates).
    public const string GateStatsKey = "stats:gates";

    public static readonly TimeSpan AnalyticsTtl = TimeSpan.FromMinutes(1);

    internal static readonly HybridCacheEntryOptions Analytics = new() { Expiration = AnalyticsTtl, LocalCacheExpiration = AnalyticsTtl };

    /// <summary><c>stats:overall</c> of one event: nodes of several events may share a Redis and a cache prefix.</summary>
    public static string OverallKey(long eventId) => string.Create(System.Globalization.CultureInfo.InvariantCulture, $"stats:overall:{eventId}");

    /// <summary><c>active_gates</c> of one event.</summary>
    public static string ActiveGatesKey(long eventId) => string.Create(System.Globalization.CultureInfo.InvariantCulture, $"active_gates:{eventId}");

    /// <summary>
    /// The tags of <c>active_gates</c> and <c>stats:overall</c>: the cached gate registry removes them on every node when
    /// a gate of the event is created, opened or closed, whoever calls it.
    /// </summary>
    public static string[] GateTags(long eventId) => [EventKitCacheTags.Gates(eventId)];

    /// <summary>Admissions per gate over the last 24 hours, at most one minute old.</summary>
    public static ValueTask<GateCountResponse[]> GateStatsAsync(HybridCache cache, IAttendanceReader attendance, TimeProvider time, CancellationToken cancellationToken) =>
        cache.GetOrCreateAsync(
            GateStatsKey,
            (attendance, time),
            static (state, token) => LoadGateStatsAsync(state.attendance, state.time, token),
            Analytics,
            cancellationToken: cancellationToken);

    public static async ValueTask<GateCountResponse[]> LoadGateStatsAsync(IAttendanceReader attendance, TimeProvider time, CancellationToken cancellationToken) =>
        ToResponse(await attendance.CountPerGateSinceAsync(time.GetUtcNow().AddHours(-24), cancellationToken).ConfigureAwait(false));

    /// <summary>The event's open gates, at most one minute old.</summary>
    public static ValueTask<long[]> ActiveGatesAsync(HybridCache cache, IGateDirectory gates, long eventId, CancellationToken cancellationToken) =>
        cache.GetOrCreateAsync(
            ActiveGatesKey(eventId),
            (gates, eventId),
            static (state, token) => LoadActiveGatesAsync(state.gates, state.eventId, token),
            Analytics,
            GateTags(eventId),
            cancellationToken);

    public static async ValueTask<long[]> LoadActiveGatesAsync(IGateDirectory gates, long eventId, CancellationToken cancellationToken)
    {
        var open = new List<long>();
        foreach (var gate in await gates.GetAllAsync(eventId, cancellationToken).ConfigureAwait(false))
        {
            if (gate.IsOpen)
            {
                open.Add(gate.Id);
            }
        }

        return [.. open];
    }

    /// <summary>The event's admissions over 24 hours and its gates, at most one minute old: one cached entry over the two above.</summary>
    public static ValueTask<OverallStatsResponse> OverallAsync(HybridCache cache, IAttendanceReader attendance, IGateDirectory gates, TimeProvider time, long eventId, CancellationToken cancellationToken) =>
        cache.GetOrCreateAsync(
            OverallKey(eventId),
            (cache, attendance, gates, time, eventId),
            static async (state, token) => await ComposeOverallAsync(
                await GateStatsAsync(state.cache, state.attendance, state.time, token).ConfigureAwait(false),
                await ActiveGatesAsync(state.cache, state.gates, state.eventId, token).ConfigureAwait(false),
                state.gates, state.time, state.eventId, token).ConfigureAwait(false),
            Analytics,
            GateTags(eventId),
            cancellationToken);

    public static async ValueTask<OverallStatsResponse> LoadOverallAsync(IAttendanceReader attendance, IGateDirectory gates, TimeProvider time, long eventId, CancellationToken cancellationToken) =>
        await ComposeOverallAsync(
            await LoadGateStatsAsync(attendance, time, cancellationToken).ConfigureAwait(false),
            await LoadActiveGatesAsync(gates, eventId, cancellationToken).ConfigureAwait(false),
            gates, time, eventId, cancellationToken).ConfigureAwait(false);

    public static async ValueTask<OverallStatsResponse> ComposeOverallAsync(GateCountResponse[] perGate, long[] active, IGateDirectory gates, TimeProvider time, long eventId, CancellationToken cancellationToken)
    {
        // Counts of other events' gates (a database shared by several events) are left out.
        var ours = await gates.GetAllAsync(eventId, cancellationToken).ConfigureAwait(false);
        var ids = new HashSet<long>();
        foreach (var gate in ours)
        {
            ids.Add(gate.Id);
        }

        long admissions = 0;
        foreach (var count in perGate)
        {
            if (ids.Contains(count.GateId))
            {
                admissions += count.Count;
            }
        }

        var now = time.GetUtcNow();
        return new OverallStatsResponse(admissions, ours.Count, active.Length, active, now.AddHours(-24), now);
    }

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
