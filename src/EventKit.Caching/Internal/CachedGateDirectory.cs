using System.Globalization;
using Microsoft.Extensions.Caching.Hybrid;

namespace EventKit.Caching.Internal;

/// <summary>Gates through the cache (gate-config policy), tagged <c>gate:{id}</c>; an event's gate list also carries <c>gates:event:{id}</c>.</summary>
internal sealed class CachedGateDirectory(IGateDirectory inner, DefaultHybridCache cache, HybridCachingOptions options) : IGateDirectory
{
    private static readonly Func<IReadOnlyList<Gate>, string[]?> TagsOfGates = static gates =>
    {
        var tags = new string[gates.Count];
        for (var i = 0; i < gates.Count; i++)
        {
            tags[i] = Tag(gates[i].Id);
        }

        return tags;
    };

    private readonly HybridCacheEntryOptions _entryOptions = options.Policies.GateConfig.ToEntryOptions();

    internal static string Tag(long gateId) => string.Concat("gate:", gateId.ToString(CultureInfo.InvariantCulture));

    internal static string EventTag(long eventId) => string.Concat("gates:event:", eventId.ToString(CultureInfo.InvariantCulture));

    public ValueTask<Gate?> GetAsync(long gateId, CancellationToken cancellationToken = default) =>
        cache.GetOrCreateCoreAsync(
            string.Concat("gate:id:", gateId.ToString(CultureInfo.InvariantCulture)),
            (inner, gateId),
            static (state, token) => state.inner.GetAsync(state.gateId, token),
            _entryOptions,
            [Tag(gateId)],
            tagsFromValue: null,
            cancellationToken);

    public Task<IReadOnlyList<Gate>> GetAllAsync(long eventId, CancellationToken cancellationToken = default) =>
        cache.GetOrCreateCoreAsync(
            string.Concat("gate:event:", eventId.ToString(CultureInfo.InvariantCulture)),
            (inner, eventId),
            static async (state, token) => await state.inner.GetAllAsync(state.eventId, token).ConfigureAwait(false),
            _entryOptions,
            [EventTag(eventId)],
            TagsOfGates,
            cancellationToken).AsTask();
}
