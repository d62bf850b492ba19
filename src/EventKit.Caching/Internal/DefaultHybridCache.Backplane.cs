using System.Collections.Concurrent;
using System.Globalization;
using StackExchange.Redis;

namespace EventKit.Caching.Internal;

internal sealed partial class DefaultHybridCache
{
    private const int MaxDeferred = 10_000;
    private const int KeysPerMessage = 500;

    /// <summary>Separates keys in one eviction message; NUL does not occur in cache keys.</summary>
    private const char KeySeparator = '\0';
    private readonly ConcurrentQueue<DeferredInvalidation> _deferred = new();
    private int _replaying;

    // Invalidations dropped from the full deferred queue since the last log line, and when that line was written.
    private long _droppedDeferred;
    private long _droppedLoggedAtMs = long.MinValue / 2;

    private enum BackplaneKind
    {
        Key,
        Tag,
        Prefix,
    }

    /// <summary>Publishes "{instance}|{K|T|P}|{payload}" (K: keys separated by NUL); receivers skip their own instance's messages.</summary>
    private async ValueTask PublishAsync(BackplaneKind kind, string payload)
    {
        if (_l2 is null || !_options.EnableBackplane)
        {
            return;
        }

        var code = kind switch
        {
            BackplaneKind.Key => "K",
            BackplaneKind.Tag => "T",
            _ => "P",
        };
        if (await _l2.PublishAsync(string.Concat(InstanceId, "|", code, "|", payload)).ConfigureAwait(false))
        {
            _metrics.Backplane(sent: true);
        }
    }

    private void OnBackplaneMessage(string message)
    {
        try
        {
            var first = message.IndexOf('|', StringComparison.Ordinal);
            if (first < 0 || message.Length < first + 3 || message.AsSpan(0, first).SequenceEqual(InstanceId))
            {
                return;
            }

            _metrics.Backplane(sent: false);
            var payload = message[(first + 3)..];
            switch (message[first + 1])
            {
                case 'K':
                    foreach (var range in payload.AsSpan().Split(KeySeparator))
                    {
                        _memory.Remove(payload[range]);
                    }

                    break;
                case 'T':
                    var colon = payload.IndexOf(':', StringComparison.Ordinal);
                    var stamp = long.Parse(payload.AsSpan(0, colon), NumberStyles.None, CultureInfo.InvariantCulture);
                    var tag = payload[(colon + 1)..];
                    ApplyTagInvalidation(tag, stamp);
                    if (tag == "*")
                    {
                        _memory.Clear();
                    }

                    break;
                case 'P':
                    RemoveL1ByPrefix(payload);
                    break;
                default:
                    break;
            }
        }
        catch (FormatException e)
        {
            Log.BackplaneMessageFailed(_logger, e);
        }
    }

    private async Task OnConnectionRestoredAsync(bool subscription)
    {
        if (subscription)
        {
            // Messages published while this node was cut off are lost: drop L1 (it refills from L2) and re-read tag stamps.
            _memory.Clear();
            Log.ConnectionRestored(_logger);
            await ResyncTagsAsync().ConfigureAwait(false);
        }
        else if (!Volatile.Read(ref _tagsLoaded))
        {
            await ResyncTagsAsync().ConfigureAwait(false);
        }

        await ReplayDeferredAsync().ConfigureAwait(false);
    }

    /// <summary>Remembers an invalidation that could not reach Redis, to replay when it is back (bounded; the oldest are dropped).</summary>
    private void Defer(BackplaneKind kind, string payload, long stamp)
    {
        _deferred.Enqueue(new DeferredInvalidation(kind, payload, stamp));
        while (_deferred.Count > MaxDeferred && _deferred.TryDequeue(out _))
        {
            Interlocked.Increment(ref _droppedDeferred);
        }

        // One line per 10 s with the count, not one per dropped invalidation (an import during an outage drops thousands).
        var now = _clock.NowMs;
        var last = Volatile.Read(ref _droppedLoggedAtMs);
        if (Volatile.Read(ref _droppedDeferred) > 0 && now - last >= 10_000 && Interlocked.CompareExchange(ref _droppedLoggedAtMs, now, last) == last)
        {
            Log.DeferredInvalidationsDropped(_logger, Interlocked.Exchange(ref _droppedDeferred, 0));
        }
    }

    /// <summary>Replays deferred invalidations in order; stops (keeping the rest) at the first one Redis refuses.</summary>
    internal async Task ReplayDeferredAsync()
    {
        // One replay at a time: two would both peek the head and then dequeue one item too many.
        if (_deferred.IsEmpty || Interlocked.Exchange(ref _replaying, 1) != 0)
        {
            return;
        }

        try
        {
            await ReplayDeferredCoreAsync().ConfigureAwait(false);
        }
        finally
        {
            Volatile.Write(ref _replaying, 0);
        }
    }

    private async Task ReplayDeferredCoreAsync()
    {
        while (_l2 is not null && _deferred.TryPeek(out var next))
        {
            var done = next.Kind == BackplaneKind.Tag
                ? await _l2.SetTagInvalidationAsync(next.Payload, next.Stamp).ConfigureAwait(false)
                : await _l2.DeleteAsync([next.Payload]).ConfigureAwait(false);
            if (!done)
            {
                return;
            }

            _deferred.TryDequeue(out _);
            await PublishAsync(next.Kind, next.Kind == BackplaneKind.Tag ? string.Concat(next.Stamp.ToString(CultureInfo.InvariantCulture), ":", next.Payload) : next.Payload).ConfigureAwait(false);
        }
    }

    private readonly record struct DeferredInvalidation(BackplaneKind Kind, string Payload, long Stamp);

    internal async ValueTask<long> RemoveByPrefixAsync(string prefix, CancellationToken cancellationToken)
    {
        RemoveL1ByPrefix(prefix);
        if (_l2 is null)
        {
            return 0;
        }

        long removed;
        try
        {
            removed = await _l2.RemoveByPrefixAsync(prefix, cancellationToken).ConfigureAwait(false);
        }
        catch (RedisException e)
        {
            throw new EventKitUnavailableException("Redis could not be reached; L2 keys with the prefix may remain until they expire.", e);
        }

        await PublishAsync(BackplaneKind.Prefix, prefix).ConfigureAwait(false);
        Log.RemovedByPrefix(_logger, removed, prefix);
        return removed;
    }
}
