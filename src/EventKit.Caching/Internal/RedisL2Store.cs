using System.Globalization;
using EventKit.Redis;
using Microsoft.Extensions.Logging;
using StackExchange.Redis;

namespace EventKit.Caching.Internal;

/// <summary>
/// The cache's Redis tier over EventKit's shared connection (<see cref="IRedisConnection"/>).
/// Each data call runs under the timeout budget and the circuit breaker: a failure or timeout returns "nothing"
/// instead of throwing, counts as an L2 error, and enough of them skip Redis for the break duration.
/// </summary>
internal sealed class RedisL2Store
{
    private const int ScanBatch = 1000;

    private readonly IRedisConnection _redis;
    private readonly string _prefix;
    private readonly RedisKey _tagsKey;
    private readonly RedisChannel _channel;
    private readonly TimeSpan _timeout;
    private readonly TimeSpan _breakDuration;
    private readonly TimeProvider _time;
    private readonly CoarseClock _clock;
    private readonly CircuitBreaker _circuit;
    private readonly CacheMetrics _metrics;
    private readonly ILogger _logger;
    private int _subscribed;

    public RedisL2Store(HybridCachingOptions options, IRedisConnection redis, TimeProvider time, CoarseClock clock, CacheMetrics metrics, ILogger logger)
    {
        _redis = redis;
        _prefix = options.KeyPrefix;
        _tagsKey = _prefix + "__tags";
        _channel = new RedisChannel(_prefix + "__backplane", RedisChannel.PatternMode.Literal);
        _timeout = options.L2Timeout;
        _breakDuration = options.CircuitBreakDuration;
        _time = time;
        _clock = clock;
        _metrics = metrics;
        _logger = logger;
        _circuit = new CircuitBreaker(options.CircuitBreakerThreshold, (long)options.CircuitBreakDuration.TotalMilliseconds);
    }

    /// <summary>Raised when Redis answers again; the argument says whether messages may have been lost (pub/sub connection, or Redis lost its data).</summary>
    public event Action<bool>? ConnectionRestored;

    /// <summary>Follows the shared connection: subscribes when it exists, replays and clears after reconnects and data loss.</summary>
    public void Attach(Action<string>? onMessage)
    {
        _redis.StateChanged += (_, change) =>
        {
            switch (change.State)
            {
                case RedisConnectionState.Connected:
                    Subscribe(onMessage);
                    ConnectionRestored?.Invoke(true);
                    break;
                case RedisConnectionState.Restored:
                    _circuit.Reset();
                    Subscribe(onMessage);
                    ConnectionRestored?.Invoke(change.IsSubscription);
                    break;
                case RedisConnectionState.DataLost:
                    ConnectionRestored?.Invoke(true);
                    break;
            }
        };
        if (_redis.Multiplexer is not null)
        {
            Subscribe(onMessage);
        }
    }

    public bool IsCircuitOpen => _circuit.IsOpen(_clock.NowMs);

    /// <summary>
    /// Sends <c>PING</c> past the circuit; an answer counts as a success, so a tripped circuit closes now (with the same
    /// L1 clear and tag re-read as when a call closes it) instead of after the break. No answer changes nothing.
    /// </summary>
    public async ValueTask<RedisProbe> ProbeAsync()
    {
        var wasTripped = _circuit.IsTripped;
        if (!_redis.TryGetDatabase(out var database))
        {
            return new RedisProbe(false, wasTripped, "not connected");
        }

        try
        {
            await database.PingAsync().WaitAsync(_timeout, _time).ConfigureAwait(false);
            Succeeded();
            return new RedisProbe(true, wasTripped, null);
        }
        catch (Exception e) when (IsRedisFailure(e))
        {
            return new RedisProbe(false, wasTripped, e.GetType().Name);
        }
    }

    public bool IsConnected => _redis.IsConnected;

    public async ValueTask<byte[]?> GetAsync(string key)
    {
        if (!CanCall(out var database))
        {
            return null;
        }

        try
        {
            Interlocked.Increment(ref _metrics.L2Reads);
            var value = await database.StringGetAsync(_prefix + key).WaitAsync(_timeout, _time).ConfigureAwait(false);
            Succeeded();
            return value.IsNull ? null : (byte[]?)value;
        }
        catch (Exception e) when (IsRedisFailure(e))
        {
            Failed(e);
            return null;
        }
    }

    /// <summary>Reads several keys in one round trip (<c>MGET</c>); <see langword="null"/> when Redis could not be asked.</summary>
    public async ValueTask<byte[]?[]?> GetManyAsync(IReadOnlyList<string> keys)
    {
        if (!CanCall(out var database))
        {
            return null;
        }

        var redisKeys = new RedisKey[keys.Count];
        for (var i = 0; i < redisKeys.Length; i++)
        {
            redisKeys[i] = _prefix + keys[i];
        }

        try
        {
            Interlocked.Increment(ref _metrics.L2Reads);
            var values = await database.StringGetAsync(redisKeys).WaitAsync(_timeout, _time).ConfigureAwait(false);
            Succeeded();
            var result = new byte[]?[values.Length];
            for (var i = 0; i < values.Length; i++)
            {
                result[i] = values[i].IsNull ? null : (byte[]?)values[i];
            }

            return result;
        }
        catch (Exception e) when (IsRedisFailure(e))
        {
            Failed(e);
            return null;
        }
    }

    public async ValueTask<bool> SetAsync(string key, byte[] value, TimeSpan timeToLive)
    {
        if (!CanCall(out var database))
        {
            return false;
        }

        try
        {
            await database.StringSetAsync(_prefix + key, value, timeToLive).WaitAsync(_timeout, _time).ConfigureAwait(false);
            Succeeded();
            return true;
        }
        catch (Exception e) when (IsRedisFailure(e))
        {
            Failed(e);
            return false;
        }
    }

    /// <summary>Sets <paramref name="key"/> only when it does not exist (<c>SET NX PX</c>): whether this caller got it. False when Redis is unreachable.</summary>
    public async ValueTask<bool> TrySetIfAbsentAsync(string key, TimeSpan timeToLive)
    {
        if (!CanCall(out var database))
        {
            return false;
        }

        try
        {
            var set = await database.StringSetAsync(_prefix + key, "1", timeToLive, When.NotExists).WaitAsync(_timeout, _time).ConfigureAwait(false);
            Succeeded();
            return set;
        }
        catch (Exception e) when (IsRedisFailure(e))
        {
            Failed(e);
            return false;
        }
    }

    public async ValueTask<bool> DeleteAsync(string[] keys)
    {
        if (!CanCall(out var database))
        {
            return false;
        }

        var redisKeys = new RedisKey[keys.Length];
        for (var i = 0; i < keys.Length; i++)
        {
            redisKeys[i] = _prefix + keys[i];
        }

        try
        {
            // One DEL per key on a Redis Cluster: a multi-key DEL must stay within one slot.
            Task task = redisKeys.Length > 1 && IsCluster(_redis.Multiplexer)
                ? Task.WhenAll(redisKeys.Select(k => database.KeyDeleteAsync(k)))
                : database.KeyDeleteAsync(redisKeys);
            await task.WaitAsync(_timeout, _time).ConfigureAwait(false);
            Succeeded();
            return true;
        }
        catch (Exception e) when (IsRedisFailure(e))
        {
            Failed(e);
            return false;
        }
    }

    /// <summary>Stores a tag's invalidation stamp (max-wins is enforced by the readers).</summary>
    public async ValueTask<bool> SetTagInvalidationAsync(string tag, long stamp)
    {
        if (!CanCall(out var database))
        {
            return false;
        }

        try
        {
            await database.HashSetAsync(_tagsKey, tag, stamp).WaitAsync(_timeout, _time).ConfigureAwait(false);
            Succeeded();
            return true;
        }
        catch (Exception e) when (IsRedisFailure(e))
        {
            Failed(e);
            return false;
        }
    }

    /// <summary>All tag invalidation stamps, or <see langword="null"/> when Redis cannot answer.</summary>
    public async ValueTask<List<KeyValuePair<string, long>>?> ReadTagInvalidationsAsync()
    {
        if (!_redis.TryGetDatabase(out var database))
        {
            return null;
        }

        try
        {
            // A node that starts or reconnects reads the whole set once; it is not on a request path, so it gets a longer budget.
            var entries = await database.HashGetAllAsync(_tagsKey).WaitAsync(TimeSpan.FromSeconds(5), _time).ConfigureAwait(false);
            var result = new List<KeyValuePair<string, long>>(entries.Length);
            foreach (var entry in entries)
            {
                if (entry.Value.TryParse(out long stamp))
                {
                    result.Add(new((string)entry.Name!, stamp));
                }
            }

            return result;
        }
        catch (Exception e) when (IsRedisFailure(e))
        {
            Failed(e);
            return null;
        }
    }

    public async ValueTask<bool> PublishAsync(string message)
    {
        if (!CanCall(out _) || _redis.Multiplexer is not { } multiplexer)
        {
            return false;
        }

        try
        {
            await multiplexer.GetSubscriber().PublishAsync(_channel, message).WaitAsync(_timeout, _time).ConfigureAwait(false);
            Succeeded();
            return true;
        }
        catch (Exception e) when (IsRedisFailure(e))
        {
            Failed(e);
            return false;
        }
    }

    private void Subscribe(Action<string>? onMessage)
    {
        if (onMessage is null || _redis.Multiplexer is not { } multiplexer || Interlocked.Exchange(ref _subscribed, 1) == 1)
        {
            return;
        }

        try
        {
            // Once per multiplexer: it re-subscribes by itself after reconnects.
            multiplexer.GetSubscriber().Subscribe(_channel, (_, message) => onMessage((string)message!));
        }
        catch (Exception e) when (IsRedisFailure(e))
        {
            // The multiplexer re-subscribes when it connects.
            Log.ConnectFailed(_logger, e);
        }
    }

    /// <summary>Deletes every key under the namespace + <paramref name="prefix"/> with SCAN (cursor) + UNLINK batches.</summary>
    public async ValueTask<long> RemoveByPrefixAsync(string prefix, CancellationToken cancellationToken)
    {
        if (!_redis.TryGetDatabase(out var database))
        {
            return 0;
        }

        var pattern = _prefix + EscapeGlob(prefix) + "*";
        var multiplexer = _redis.Multiplexer;
        if (!IsCluster(multiplexer))
        {
            return await RemoveMatchingAsync(database, server: null, pattern, cluster: false, cancellationToken).ConfigureAwait(false);
        }

        // A Redis Cluster: each primary holds its own slots, so every primary is scanned.
        long removed = 0;
        foreach (var server in multiplexer!.GetServers())
        {
            if (!server.IsReplica && server.IsConnected)
            {
                removed += await RemoveMatchingAsync(database, server, pattern, cluster: true, cancellationToken).ConfigureAwait(false);
            }
        }

        return removed;
    }

    private static async ValueTask<long> RemoveMatchingAsync(IDatabase database, IServer? server, string pattern, bool cluster, CancellationToken cancellationToken)
    {
        var cursor = "0";
        long removed = 0;
        do
        {
            cancellationToken.ThrowIfCancellationRequested();

            // SCAN walks the keyspace incrementally (COUNT keys per call), so other clients are served between batches;
            // KEYS would block the server for the whole keyspace.
            object[] scan = ["SCAN", cursor, "MATCH", pattern, "COUNT", ScanBatch.ToString(CultureInfo.InvariantCulture)];
            var reply = (RedisResult[])(server is null
                ? await database.ExecuteAsync((string)scan[0], scan[1..]).ConfigureAwait(false)
                : await server.ExecuteAsync((string)scan[0], scan[1..]).ConfigureAwait(false))!;
            cursor = (string)reply[0]!;
            var keys = (RedisKey[])reply[1]!;
            if (keys.Length == 0)
            {
                continue;
            }

            // UNLINK frees memory in a background thread of Redis (DEL would do it inline); on a Cluster one key per
            // command, since a multi-key command must stay within one slot.
            if (cluster)
            {
                var unlinks = await Task.WhenAll(keys.Select(k => database.ExecuteAsync("UNLINK", k))).ConfigureAwait(false);
                removed += unlinks.Sum(static r => (long)r);
            }
            else
            {
                var args = new object[keys.Length];
                for (var i = 0; i < keys.Length; i++)
                {
                    args[i] = keys[i];
                }

                removed += (long)await database.ExecuteAsync("UNLINK", args).ConfigureAwait(false);
            }
        }
        while (cursor != "0");

        return removed;
    }

    private static bool IsCluster(IConnectionMultiplexer? multiplexer)
        => multiplexer is not null && multiplexer.GetServers().Any(static s => s.ServerType == ServerType.Cluster);

    private static string EscapeGlob(string value)
    {
        if (value.AsSpan().IndexOfAny("*?[]\\") < 0)
        {
            return value;
        }

        var builder = new System.Text.StringBuilder(value.Length + 8);
        foreach (var c in value)
        {
            if (c is '*' or '?' or '[' or ']' or '\\')
            {
                builder.Append('\\');
            }

            builder.Append(c);
        }

        return builder.ToString();
    }

    private static bool IsRedisFailure(Exception e) => e is RedisException or TimeoutException or ObjectDisposedException or InvalidOperationException;

    private bool CanCall(out IDatabase database)
    {
        database = null!;
        return !_circuit.IsOpen(_clock.NowMs) && _redis.TryGetDatabase(out database);
    }

    private void Succeeded()
    {
        if (_circuit.OnSuccess())
        {
            Log.CircuitClosed(_logger);
            ConnectionRestored?.Invoke(false);
        }
    }

    private void Failed(Exception e)
    {
        var type = e switch
        {
            TimeoutException => "timeout",
            RedisConnectionException => "connection",
            _ => "other",
        };
        _metrics.L2Error(type);
        Log.L2CallFailed(_logger, type, e);
        if (_circuit.OnFailure(_clock.NowMs))
        {
            Log.CircuitOpened(_logger, _breakDuration);
        }
    }
}
