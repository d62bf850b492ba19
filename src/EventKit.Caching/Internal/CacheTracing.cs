using System.Diagnostics;

namespace EventKit.Caching.Internal;

/// <summary>
/// EventKit.Caching's <see cref="ActivitySource"/> (<see cref="EventKitDiagnostics.Caching"/>): a span per
/// <c>GetOrCreate</c> call, with children for the L2 read and the factory when L1 misses. Only the key's prefix (up to
/// the first <c>:</c>) is recorded: keys can hold credential hashes. Free when nobody listens.
/// </summary>
internal static class CacheTracing
{
    public const string Get = "eventkit.cache.get";
    public const string L2Get = "eventkit.cache.l2.get";
    public const string Factory = "eventkit.cache.factory";

    /// <summary><c>l1</c> or <c>miss</c> on the call's span, <c>l2</c> or <c>miss</c> on the L2 read's.</summary>
    public const string HitTag = "eventkit.cache.hit";
    public const string NameTag = "cache.name";
    public const string PrefixTag = "eventkit.cache.key_prefix";
    public const string StaleTag = "eventkit.cache.served_stale";

    public static readonly ActivitySource Source = new(EventKitDiagnostics.Caching);

    public static Activity? StartGet(string cacheName, string key)
    {
        var activity = Source.StartActivity(Get);
        if (activity is { IsAllDataRequested: true })
        {
            var colon = key.IndexOf(':', StringComparison.Ordinal);
            activity.SetTag(NameTag, cacheName);
            activity.SetTag(PrefixTag, colon < 0 ? "(none)" : key[..colon]);
        }

        return activity;
    }
}
