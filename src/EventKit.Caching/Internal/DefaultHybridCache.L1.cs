using System.Collections.Concurrent;
using System.Diagnostics.CodeAnalysis;
using Microsoft.Extensions.Caching.Hybrid;
using Microsoft.Extensions.Caching.Memory;

namespace EventKit.Caching.Internal;

internal sealed partial class DefaultHybridCache
{
    private readonly PostEvictionDelegate _onEvicted;
    private readonly ConcurrentDictionary<string, byte> _hotKeys = new(StringComparer.Ordinal);

    /// <summary>The L1 hit path: one dictionary lookup, a type check, a field read for expiry, and counters.</summary>
    private bool TryGetL1<T>(string key, [NotNullWhen(true)] out L1Entry<T>? entry)
    {
        if (_memory.TryGetValue(key, out var found)
            && found is L1Entry<T> candidate
            && candidate.ExpiresAtMs > _clock.NowMs
            && (candidate.ValidatedEpoch == Volatile.Read(ref _tagEpoch) || Revalidate(candidate)))
        {
            Interlocked.Increment(ref _metrics.L1Hits);
            Interlocked.Increment(ref candidate.Prefix.Hits);
            candidate.Hits++;
            entry = candidate;
            return true;
        }

        entry = null;
        return false;
    }

    private void WriteL1<T>(string key, T value, string[] tags, long createdStamp, TimeSpan lifetime)
    {
        if (lifetime <= TimeSpan.Zero)
        {
            _memory.Remove(key);
            return;
        }

        var now = _clock.NowMs;
        var lifetimeMs = (long)lifetime.TotalMilliseconds;
        var entry = new L1Entry<T>
        {
            Value = value,
            CreatedStamp = createdStamp,
            ExpiresAtMs = now + lifetimeMs,
            RefreshAtMs = _options.EagerRefreshFraction > 0 ? now + (long)(lifetimeMs * _options.EagerRefreshFraction) : long.MaxValue,
            Tags = tags,
            Prefix = _metrics.ForKey(key),

            // Never "validated" yet: an invalidation may have raced with this write, so the first hit checks the tags.
            ValidatedEpoch = -1,
        };
        using var cacheEntry = _memory.CreateEntry(key);
        cacheEntry.Value = entry;
        cacheEntry.Size = 1;

        // The MemoryCache entry outlives the logical expiry by the stale window, so stale-on-error has something to serve.
        cacheEntry.AbsoluteExpirationRelativeToNow = lifetime + _options.StaleOnErrorMaxStaleness;
        cacheEntry.RegisterPostEvictionCallback(_onEvicted);
    }

    private void OnEvicted(object key, object? value, EvictionReason reason, object? state)
    {
        if (reason is EvictionReason.Expired or EvictionReason.Capacity)
        {
            _metrics.Evicted(reason == EvictionReason.Expired ? "expired" : "capacity");
        }

        if (_options.HotKeyThreshold > 0 && reason != EvictionReason.Removed && value is L1Entry entry && entry.Hits >= _options.HotKeyThreshold && key is string hotKey)
        {
            // Bounded: when full, forget everything and start over (a cheap two-generation scheme; hot keys re-qualify quickly).
            if (_hotKeys.Count >= _options.HotKeyCapacity)
            {
                _hotKeys.Clear();
            }

            _hotKeys.TryAdd(hotKey, 0);
        }
    }

    internal bool IsHot(string key) => _options.HotKeyThreshold > 0 && !_hotKeys.IsEmpty && _hotKeys.ContainsKey(key);

    private void StartEagerRefresh<TState, T>(
        string key,
        L1Entry<T> entry,
        TState state,
        Func<TState, CancellationToken, ValueTask<T>> factory,
        HybridCacheEntryOptions? options,
        IEnumerable<string>? tags,
        Func<T, string[]?>? tagsFromValue)
    {
        if (Interlocked.Exchange(ref entry.Refreshing, 1) != 0)
        {
            return;
        }

        _ = RefreshAsync(key, state, factory, options, tags, tagsFromValue);
    }

    private async Task RefreshAsync<TState, T>(
        string key,
        TState state,
        Func<TState, CancellationToken, ValueTask<T>> factory,
        HybridCacheEntryOptions? options,
        IEnumerable<string>? tags,
        Func<T, string[]?>? tagsFromValue)
    {
        try
        {
            // Yield first so the caller that triggered the refresh gets its (still valid) value without waiting.
            await Task.Yield();
            var value = await factory(state, CancellationToken.None).ConfigureAwait(false);
            var tagArray = ToTagArray(tags);
            var allTags = tagsFromValue is null || value is null ? tagArray : Concat(tagArray, tagsFromValue(value));
            await StoreAsync(key, value, options, allTags, options?.Flags ?? HybridCacheEntryFlags.None, publish: false).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            Log.EagerRefreshFailed(_logger, e);
        }
    }

    private void RemoveL1ByPrefix(string prefix)
    {
        foreach (var key in _memory.Keys)
        {
            if (key is string text && text.StartsWith(prefix, StringComparison.Ordinal))
            {
                _memory.Remove(text);
            }
        }
    }
}
