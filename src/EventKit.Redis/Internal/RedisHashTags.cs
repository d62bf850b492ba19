using StackExchange.Redis;

namespace EventKit.Redis.Internal;

/// <summary>
/// Redis Cluster hash tags: a key's slot is computed from the text between its first <c>{</c> and the next <c>}</c> when
/// that text is not empty, otherwise from the whole key. Keys used by one script must share a slot.
/// </summary>
internal static class RedisHashTags
{
    /// <summary>The part of <paramref name="key"/> that decides its cluster slot.</summary>
    /// <param name="key">A key or a key prefix.</param>
    /// <returns>The hash tag, or <see langword="null"/> when the key has none (its slot then depends on the whole key).</returns>
    public static string? TagOf(string key)
    {
        var open = key.IndexOf('{', StringComparison.Ordinal);
        if (open < 0)
        {
            return null;
        }

        var close = key.IndexOf('}', open + 1);
        return close > open + 1 ? key[(open + 1)..close] : null;
    }

    /// <summary>Whether every key built from these prefixes lands in one slot whatever follows them: they carry the same tag.</summary>
    /// <param name="prefixes">Full keys or key prefixes.</param>
    /// <returns><see langword="true"/> when all carry the same, non-empty hash tag.</returns>
    public static bool ShareSlot(params string[] prefixes)
    {
        var first = TagOf(prefixes[0]);
        return first is not null && prefixes.All(p => string.Equals(TagOf(p), first, StringComparison.Ordinal));
    }

    /// <summary>Whether <paramref name="multiplexer"/> talks to a Redis Cluster.</summary>
    /// <param name="multiplexer">The connection, if any.</param>
    /// <returns><see langword="true"/> when any of its servers runs in cluster mode.</returns>
    public static bool IsCluster(IConnectionMultiplexer? multiplexer)
        => multiplexer is not null && multiplexer.GetServers().Any(static s => s.ServerType == ServerType.Cluster);
}
