using System.Globalization;
using Microsoft.Extensions.Logging;
using StackExchange.Redis;

namespace EventKit.Caching.Internal;

/// <summary>
/// Every Redis call of EventKit .
/// Each data call runs under the timeout budget and the circuit breaker: a failure or timeout returns "nothing"
/// instead of throwing, counts as an L2 error, and enough of them skip Redis for the break duration.
/// </summary>
internal sealed partial class RedisL2Store : IDisposable
{
    private const int ScanBatch = 1000;

    private readonly ConnectionMultiplexer _connection;
    private readonly IDatabase _database;
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

    public RedisL2Store(HybridCachingOptions options, TimeProvider time, CoarseClock clock, CacheMetrics metrics, ILogger logger)
    {
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

        var configuration = ConfigurationOptions.Parse(options.RedisConfiguration!);

        // Start even when Redis is down: the multiplexer keeps reconnecting in the background and the cache runs on L1.
        configuration.AbortOnConnectFail = false;
        configuration.ConnectTimeout = Math.Min(configuration.ConnectTimeout, 2000);
        _connection = ConnectionMultiplexer.Connect(configuration);

        _database = _connection.GetDatabase();
        if (_connection.IsConnected)
        {
            WarmUp();
        }
        _connection.ConnectionRestored += (_, args) =>
        {
            _circuit.Reset();
            ConnectionRestored?.Invoke(args.ConnectionType == ConnectionType.Subscription);
        };
    }

    /// <summary>Raised when a connection comes back; the argument says whether it is the pub/sub one (messages may have been lost).</summary>
    public event Action<bool>? ConnectionRestored;

    public bool IsCircuitOpen => _circuit.IsOpen(_clock.NowMs);

    public bool IsConnected => _connection.IsConnected;

    public async ValueTask<byte[]?> GetAsync(string key)
    {
        if (!CanCall())
        {
            return null;
        }

        try
        {
            var value = await _database.StringGetAsync(_prefix + key).WaitAsync(_timeout, _time).ConfigureAwait(false);
            Succeeded();
            return value.IsNull ? null : (byte[]?)value;
        }
        catch (Exception e) when (IsRedisFailure(e))
        {
            Failed(e);
            return null;
        }
    }

    public async ValueTask<bool> SetAsync(string key, byte[] value, TimeSpan timeToLive)
    {
        if (!CanCall())
        {
            return false;
        }

        try
        {
            await _database.StringSetAsync(_prefix + key, value, timeToLive).WaitAsync(_timeout, _time).ConfigureAwait(false);
            Succeeded();
            return true;
        }
        catch (Exception e) when (IsRedisFailure(e))
        {
            Failed(e);
            return false;
        }
    }

    public async ValueTask<bool> DeleteAsync(string[] keys)
    {
        if (!CanCall())
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
            await _database.KeyDeleteAsync(redisKeys).WaitAsync(_timeout, _time).ConfigureAwait(false);
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
        if (!CanCall())
        {
            return false;
        }

        try
        {
            await _database.HashSetAsync(_tagsKey, tag, stamp).WaitAsync(_timeout, _time).ConfigureAwait(false);
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
        try
        {
            // A node that starts or reconnects reads the whole set once; it is not on a request path, so it gets a longer budget.
            var entries = await _database.HashGetAllAsync(_tagsKey).WaitAsync(TimeSpan.FromSeconds(5), _time).ConfigureAwait(false);
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
        if (!CanCall())
        {
            return false;
        }

        try
        {
            await _connection.GetSubscriber().PublishAsync(_channel, message).WaitAsync(_timeout, _time).ConfigureAwait(false);
            Succeeded();
            return true;
        }
        catch (Exception e) when (IsRedisFailure(e))
        {
            Failed(e);
            return false;
        }
    }

    public void Subscribe(Action<string> onMessage)
    {
        try
        {
            _connection.GetSubscriber().Subscribe(_channel, (_, message) => onMessage((string)message!));
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
        var pattern = _prefix + EscapeGlob(prefix) + "*";
        var cursor = "0";
        long removed = 0;
        do
        {
            cancellationToken.ThrowIfCancellationRequested();

            // SCAN walks the keyspace incrementally (COUNT keys per call), so other clients are served between batches;
            // KEYS would block the server for the whole keyspace.
            var reply = (RedisResult[])(await _database.ExecuteAsync("SCAN", cursor, "MATCH", pattern, "COUNT", ScanBatch.ToString(CultureInfo.InvariantCulture)).ConfigureAwait(false))!;
            cursor = (string)reply[0]!;
            var keys = (RedisKey[])reply[1]!;
            if (keys.Length > 0)
            {
                var args = new object[keys.Length];
                for (var i = 0; i < keys.Length; i++)
                {
                    args[i] = keys[i];
                }

                // UNLINK frees memory in a background thread of Redis (DEL would do it inline).
                removed += (long)await _database.ExecuteAsync("UNLINK", args).ConfigureAwait(false);
            }
        }
        while (cursor != "0");

        return removed;
    }

    public void Dispose()
    {
        _connection.Close(allowCommandsToComplete: false);
        _connection.Dispose();
    }

    /// <summary>
    /// One read outside the budget at construction, so that the first requests do not pay for JIT and connection
    /// set-up within the 50 ms budget (three such timeouts would open the circuit right after start).
    /// </summary>
    private void WarmUp()
    {
        try
        {
            _database.StringGetAsync(_prefix + "__warmup").WaitAsync(TimeSpan.FromSeconds(2), _time).ConfigureAwait(false).GetAwaiter().GetResult();
        }
        catch (Exception e) when (IsRedisFailure(e))
        {
            Log.ConnectFailed(_logger, e);
        }
    }

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

    private bool CanCall() => !_circuit.IsOpen(_clock.NowMs);

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
