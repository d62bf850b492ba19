using System.Globalization;
using StackExchange.Redis;

namespace EventKit.Caching.Internal;

internal sealed partial class DefaultHybridCache
{
    private enum BackplaneKind
    {
        Key,
        Tag,
        Prefix,
    }

    /// <summary>Publishes "{instance}|{K|T|P}|{payload}"; receivers skip their own instance's messages.</summary>
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
                    _memory.Remove(payload);
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

    private void OnConnectionRestored()
    {
        // Messages published while this node was cut off are lost: drop L1 (it refills from L2) and re-read tag stamps.
        _memory.Clear();
        Log.ConnectionRestored(_logger);
        _ = ResyncTagsAsync();
    }

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
