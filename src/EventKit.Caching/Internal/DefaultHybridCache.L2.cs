using System.Buffers;
using Microsoft.Extensions.Caching.Hybrid;

namespace EventKit.Caching.Internal;

internal sealed partial class DefaultHybridCache
{
    /// <summary>Checks an L2 value's header (tags, expiry) and deserializes it; <paramref name="bytes"/> is what Redis returned.</summary>
    private L2Read<T> DecodeL2<T>(byte[]? bytes, long nowMs)
    {
        if (bytes is null || !L2Payload.TryDecode(bytes, out var payload) || IsInvalidated(payload.CreatedStamp, payload.Tags))
        {
            return default;
        }

        var expired = payload.ExpiresAtMs <= nowMs;
        if (expired && _options.StaleOnErrorMaxStaleness <= TimeSpan.Zero)
        {
            return default;
        }

        T value;
        try
        {
            value = payload.IsNull ? default! : _serializers.Get<T>().Deserialize(new ReadOnlySequence<byte>(bytes, payload.BodyOffset, bytes.Length - payload.BodyOffset));
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            Log.L2ValueUnreadable(_logger, typeof(T).Name, e);
            return default;
        }

        return expired
            ? new L2Read<T> { Stale = new StaleValue<T>(true, value, payload.ExpiresAtMs) }
            : new L2Read<T> { Found = true, Value = value, Payload = payload };
    }

    /// <summary>
    /// Writes a value the way a cache miss does (L1 and L2, each unless its flag says not to) without telling other
    /// nodes: for warming, where nothing changed and no other node's L1 copy may be evicted.
    /// </summary>
    internal ValueTask FillAsync<T>(string key, T value, HybridCacheEntryOptions options, string[] tags)
        => IsCacheableKey(key) ? StoreAsync(key, value, options, tags, options.Flags ?? HybridCacheEntryFlags.None, publish: false) : ValueTask.CompletedTask;

    /// <summary>
    /// Claims a one-off job across nodes (an L2 key set only if absent, expiring after <paramref name="timeToLive"/>):
    /// true for exactly one caller per period while Redis is reachable; false without an L2 or when Redis is unreachable.
    /// </summary>
    internal ValueTask<bool> TryClaimAsync(string name, TimeSpan timeToLive)
        => _l2 is null ? ValueTask.FromResult(false) : _l2.TrySetIfAbsentAsync(name, timeToLive);

    /// <summary>
    /// Looks <paramref name="keys"/> up in L1, then every L1 miss in one L2 round trip (<c>MGET</c>), filling L1 from
    /// what L2 had. Runs no factory and publishes nothing: a read must never evict other nodes' copies.
    /// </summary>
    /// <returns>Per key: whether a tier had it, and the value (which may be a cached <see langword="null"/>).</returns>
    internal async ValueTask<(bool Found, T Value)[]> GetManyAsync<T>(IReadOnlyList<string> keys)
    {
        var results = new (bool Found, T Value)[keys.Count];
        List<int>? misses = null;
        for (var i = 0; i < keys.Count; i++)
        {
            if (IsCacheableKey(keys[i]) && TryGetL1<T>(keys[i], out var entry))
            {
                results[i] = (true, entry.Value);
            }
            else
            {
                Interlocked.Increment(ref _metrics.L1Misses);
                (misses ??= []).Add(i);
            }
        }

        if (misses is null || _l2 is null)
        {
            return results;
        }

        var missingKeys = new string[misses.Count];
        for (var i = 0; i < missingKeys.Length; i++)
        {
            missingKeys[i] = keys[misses[i]];
        }

        var values = await _l2.GetManyAsync(missingKeys).ConfigureAwait(false);
        var now = _clock.Refresh();
        for (var i = 0; i < missingKeys.Length; i++)
        {
            var read = values is null ? default : DecodeL2<T>(values[i], now);
            if (!read.Found)
            {
                Interlocked.Increment(ref _metrics.L2Misses);
                continue;
            }

            Interlocked.Increment(ref _metrics.L2Hits);
            WriteL1(missingKeys[i], read.Value, read.Payload.Tags, read.Payload.CreatedStamp, LocalLifetime(missingKeys[i], null, read.Payload.IsNull, now, read.Payload.ExpiresAtMs));
            results[misses[i]] = (true, read.Value);
        }

        return results;
    }

    private async ValueTask<bool> WriteL2Async<T>(string key, T value, bool isNull, long stamp, long expiresAtMs, TimeSpan lifetime, string[] tags)
    {
        var bytes = L2Payload.Encode(value, isNull, stamp, expiresAtMs, tags, _serializers.Get<T>());
        if (bytes.Length > _options.MaximumPayloadBytes)
        {
            Log.PayloadTooLarge(_logger, typeof(T).Name, bytes.Length, _options.MaximumPayloadBytes);

            // An older, smaller value must not keep answering other nodes.
            return await _l2!.DeleteAsync([key]).ConfigureAwait(false);
        }

        return await _l2!.SetAsync(key, bytes, lifetime + _options.StaleOnErrorMaxStaleness).ConfigureAwait(false);
    }

    /// <summary>Finds a value expired no longer than the stale window ago: L1's copy first, else what L2 returned.</summary>
    private bool TryGetStale<T>(string key, long nowMs, ref StaleValue<T> stale)
    {
        var window = (long)_options.StaleOnErrorMaxStaleness.TotalMilliseconds;
        if (window <= 0)
        {
            return false;
        }

        if (_memory.TryGetValue(key, out var found) && found is L1Entry<T> entry && !IsInvalidated(entry.CreatedStamp, entry.Tags) && nowMs - entry.ExpiresAtMs <= window)
        {
            stale = new StaleValue<T>(true, entry.Value, Math.Min(entry.ExpiresAtMs, nowMs));
            return true;
        }

        return stale.HasValue && nowMs - stale.ExpiredAtMs <= window;
    }

    private readonly struct L2Read<T>
    {
        public bool Found { get; init; }

        public T Value { get; init; }

        public L2Payload Payload { get; init; }

        public StaleValue<T> Stale { get; init; }
    }

    private readonly record struct StaleValue<T>(bool HasValue, T Value, long ExpiredAtMs);
}
