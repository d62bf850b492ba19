using System.Globalization;
using EventKit.Internal;
using Microsoft.Extensions.Caching.Hybrid;

namespace EventKit.Caching.Internal;

/// <summary>
/// The event configuration through the cache: key <c>event_config:{id}</c>, tag <c>event:{id}</c>, the gate-config lifetime
/// (30 min). The entry is the configuration's JSON (one form, <see cref="EventSettingsJson"/>), so L2 needs no serializer.
/// </summary>
internal sealed class CachedEventDirectory(IEventDirectory inner, DefaultHybridCache cache, HybridCachingOptions options) : IEventDirectory
{
    private readonly HybridCacheEntryOptions _entryOptions = options.Policies.GateConfig.ToEntryOptions();

    internal static string Key(long eventId) => string.Concat("event_config:", eventId.ToString(CultureInfo.InvariantCulture));

    internal static string Tag(long eventId) => string.Concat("event:", eventId.ToString(CultureInfo.InvariantCulture));

    public async ValueTask<EventSettings> GetAsync(long eventId, CancellationToken cancellationToken = default)
    {
        var json = await cache.GetOrCreateCoreAsync(
            Key(eventId),
            (inner, eventId),
            static async (state, token) => EventSettingsJson.ToUtf8(await state.inner.GetAsync(state.eventId, token).ConfigureAwait(false)),
            _entryOptions,
            [Tag(eventId)],
            tagsFromValue: null,
            cancellationToken).ConfigureAwait(false);
        return EventSettingsJson.Read(json);
    }
}
