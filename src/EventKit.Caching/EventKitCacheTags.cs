using EventKit.Caching.Internal;

namespace EventKit.Caching;

/// <summary>
/// Tags that EventKit's cached stores remove on every node when the data behind them changes. Give one of them to an
/// entry of your own (<see cref="Microsoft.Extensions.Caching.Hybrid.HybridCache.SetAsync{T}"/> or
/// <c>GetOrCreateAsync</c>, <c>tags</c>) that is derived from that data, and it is invalidated with it.
/// </summary>
public static class EventKitCacheTags
{
    /// <summary>
    /// Entries derived from an event's gates (its gate list, its open gates, its overall statistics): removed on every
    /// node when a gate of the event is created, opened or closed through <see cref="IGateRegistry"/> (with
    /// <c>.AddCachedDirectories()</c>).
    /// </summary>
    /// <param name="eventId">The event.</param>
    /// <returns>The tag, <c>gates:event:{eventId}</c>.</returns>
    public static string Gates(long eventId) => CachedGateDirectory.EventTag(eventId);
}
