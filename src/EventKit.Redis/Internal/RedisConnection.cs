using System.Diagnostics.Metrics;
using System.Globalization;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace EventKit.Redis.Internal;

/// <summary>
/// The one multiplexer: created by the first <see cref="ConnectAsync"/> (the hosted starter calls it when the host
/// starts), or taken from the application. A connection EventKit created is disposed with the container; one it was
/// given never is. The epoch key (<c>{prefix}epoch</c>, a random value written once with SET NX semantics) is read at
/// connect, after every reconnect and on a timer: a different value means Redis lost its data since we last looked.
/// </summary>
internal sealed class RedisConnection : IRedisConnection, IAsyncDisposable, IDisposable
{
    private const string EpochScript = "local v = redis.call('GET', KEYS[1]) if v then return v end redis.call('SET', KEYS[1], ARGV[1]) return ARGV[1]";

    private readonly RedisConnectionOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly IConnectionMultiplexer? _given;
    private readonly RedisKey _epochKey;
    private readonly Counter<long> _failures;
    private readonly Counter<long> _dataLosses;
    private readonly Lock _gate = new();
    private Task<IConnectionMultiplexer?>? _connect;
    private IConnectionMultiplexer? _multiplexer;
    private IDatabase? _database;
    private ITimer? _epochTimer;
    private string? _epoch;
    private int _checkingEpoch;
    private long _dataLossCount;
    private long _lastDataLossTicks;
    private bool _owned;
    private bool _disposed;

    public RedisConnection(IOptions<RedisConnectionOptions> options, TimeProvider time, IMeterFactory meterFactory, ILogger<RedisConnection> logger, IConnectionMultiplexer? registered = null)
    {
        _options = options.Value;
        _time = time;
        _logger = logger;
        _given = _options.GetConnection() ?? (string.IsNullOrWhiteSpace(_options.Configuration) && _options.UseRegisteredConnection ? registered : null);
        IsConfigured = _given is not null || !string.IsNullOrWhiteSpace(_options.Configuration);
        Endpoint = _given is not null ? DescribeEndpoints(_given) : DescribeConfiguration(_options.Configuration);
        _epochKey = _options.KeyPrefix + "epoch";

        var meter = meterFactory.Create(EventKitDiagnostics.Redis);
        meter.CreateObservableGauge("eventkit.redis.connected", () => IsConnected ? 1 : 0, "{connection}", "1 while EventKit's Redis connection is up, 0 otherwise.");
        _failures = meter.CreateCounter<long>("eventkit.redis.connection.failures", "{failure}", "Connection failures reported by the Redis client.");
        _dataLosses = meter.CreateCounter<long>("eventkit.redis.data_loss", "{event}", "Times Redis was found without EventKit's epoch key (restarted empty, failed over to a stale replica, flushed).");
    }

    public bool IsConfigured { get; }

    public bool IsConnected => Volatile.Read(ref _multiplexer)?.IsConnected ?? false;

    public string Endpoint { get; }

    public string EpochKey => (string)_epochKey!;

    public IConnectionMultiplexer? Multiplexer => Volatile.Read(ref _multiplexer);

    public long DataLossCount => Interlocked.Read(ref _dataLossCount);

    public DateTimeOffset? LastDataLoss
    {
        get
        {
            var ticks = Interlocked.Read(ref _lastDataLossTicks);
            return ticks == 0 ? null : new DateTimeOffset(ticks, TimeSpan.Zero);
        }
    }

    /// <summary>Whether EventKit created the multiplexer (and so disposes it).</summary>
    internal bool OwnsConnection => _owned;

    public event EventHandler<RedisConnectionStateChangedEventArgs>? StateChanged;

    public Task<IConnectionMultiplexer?> ConnectAsync(CancellationToken cancellationToken = default)
    {
        Task<IConnectionMultiplexer?> connect;
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            connect = _connect ??= ConnectCoreAsync();
        }

        return cancellationToken.CanBeCanceled ? connect.WaitAsync(cancellationToken) : connect;
    }

    public bool TryGetDatabase(out IDatabase database)
    {
        database = Volatile.Read(ref _database)!;
        if (database is null && IsConfigured && Volatile.Read(ref _connect) is null && !_disposed)
        {
            // Used before the host started it (or without a host): start connecting now; this call runs without Redis.
            _ = ConnectAsync();
        }

        return database is not null;
    }

    private async Task<IConnectionMultiplexer?> ConnectCoreAsync()
    {
        if (!IsConfigured)
        {
            return null;
        }

        IConnectionMultiplexer multiplexer;
        if (_given is not null)
        {
            multiplexer = _given;
        }
        else
        {
            var configuration = ConfigurationOptions.Parse(_options.Configuration!);

            // Start even when Redis is down: the multiplexer keeps reconnecting in the background, and readiness says so.
            configuration.AbortOnConnectFail = false;
            configuration.ConnectTimeout = (int)_options.ConnectTimeout.TotalMilliseconds;
            multiplexer = await ConnectionMultiplexer.ConnectAsync(configuration).ConfigureAwait(false);
            _owned = true;
        }

        multiplexer.ConnectionFailed += OnConnectionFailed;
        multiplexer.ConnectionRestored += OnConnectionRestored;
        Volatile.Write(ref _database, multiplexer.GetDatabase());
        Volatile.Write(ref _multiplexer, multiplexer);

        if (multiplexer.IsConnected)
        {
            Log.Connected(_logger, Endpoint, _owned);
            await CheckEpochAsync().ConfigureAwait(false);
            Raise(RedisConnectionState.Connected, isSubscription: false);
        }
        else
        {
            Log.NotReachableAtStart(_logger, Endpoint, _options.ConnectTimeout);
        }

        _epochTimer = _time.CreateTimer(static state => _ = ((RedisConnection)state!).CheckEpochAsync(), this, _options.DataLossCheckInterval, _options.DataLossCheckInterval);
        return multiplexer;
    }

    private void OnConnectionFailed(object? sender, ConnectionFailedEventArgs e)
    {
        _failures.Add(1);
        Log.ConnectionFailed(_logger, Endpoint, e.ConnectionType.ToString(), e.FailureType.ToString());
        Raise(RedisConnectionState.Failed, e.ConnectionType == ConnectionType.Subscription);
    }

    private void OnConnectionRestored(object? sender, ConnectionFailedEventArgs e)
    {
        Log.ConnectionRestored(_logger, Endpoint, e.ConnectionType.ToString());
        _ = RestoredAsync(e.ConnectionType == ConnectionType.Subscription);
    }

    private async Task RestoredAsync(bool isSubscription)
    {
        // Check the epoch first, so that a listener of Restored already knows whether the data survived.
        if (!isSubscription)
        {
            await CheckEpochAsync().ConfigureAwait(false);
        }

        Raise(RedisConnectionState.Restored, isSubscription);
    }

    /// <summary>Reads (or, on an empty Redis, writes) the epoch; a value other than the one seen before is data loss.</summary>
    internal async Task CheckEpochAsync()
    {
        if (Volatile.Read(ref _database) is not { } database || !IsConnected || Interlocked.Exchange(ref _checkingEpoch, 1) == 1)
        {
            return;
        }

        try
        {
            var candidate = string.Create(CultureInfo.InvariantCulture, $"{Guid.NewGuid():N}|{_time.GetUtcNow().ToUnixTimeMilliseconds()}");
            var result = await database.ScriptEvaluateAsync(EpochScript, [_epochKey], [candidate]).WaitAsync(TimeSpan.FromSeconds(2), _time).ConfigureAwait(false);
            var epoch = (string?)result;
            var previous = _epoch;
            _epoch = epoch;
            if (previous is not null && previous != epoch)
            {
                Interlocked.Increment(ref _dataLossCount);
                Interlocked.Exchange(ref _lastDataLossTicks, _time.GetUtcNow().UtcTicks);
                _dataLosses.Add(1);
                Log.DataLost(_logger, Endpoint);
                Raise(RedisConnectionState.DataLost, isSubscription: false);
            }
        }
        catch (Exception e) when (e is RedisException or TimeoutException or ObjectDisposedException)
        {
            // Not reachable right now: the next tick or the next reconnect checks again.
        }
        finally
        {
            Volatile.Write(ref _checkingEpoch, 0);
        }
    }

    private void Raise(RedisConnectionState state, bool isSubscription)
    {
        var handler = StateChanged;
        if (handler is null)
        {
            return;
        }

        var args = new RedisConnectionStateChangedEventArgs(state, isSubscription);
        foreach (var subscriber in handler.GetInvocationList())
        {
            try
            {
                ((EventHandler<RedisConnectionStateChangedEventArgs>)subscriber)(this, args);
            }
#pragma warning disable CA1031 // One failing listener must not keep the others from hearing about the connection.
            catch (Exception e)
#pragma warning restore CA1031
            {
                Log.ListenerFailed(_logger, state.ToString(), e);
            }
        }
    }

    private static string DescribeEndpoints(IConnectionMultiplexer multiplexer)
    {
        var endpoints = multiplexer.GetEndPoints();
        return endpoints.Length == 0 ? "(no endpoint)" : string.Join(",", endpoints.Select(static e => EndPointCollection.ToString(e)));
    }

    private static string DescribeConfiguration(string? configuration)
    {
        if (string.IsNullOrWhiteSpace(configuration))
        {
            return "(not configured)";
        }

        var endpoints = ConfigurationOptions.Parse(configuration).EndPoints;
        return endpoints.Count == 0 ? "(no endpoint)" : string.Join(",", endpoints.Select(static e => EndPointCollection.ToString(e)));
    }

    public async ValueTask DisposeAsync()
    {
        IConnectionMultiplexer? multiplexer;
        lock (_gate)
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
            multiplexer = _multiplexer;
        }

        if (_epochTimer is not null)
        {
            await _epochTimer.DisposeAsync().ConfigureAwait(false);
        }

        if (multiplexer is null)
        {
            return;
        }

        multiplexer.ConnectionFailed -= OnConnectionFailed;
        multiplexer.ConnectionRestored -= OnConnectionRestored;
        if (_owned)
        {
            await multiplexer.CloseAsync(allowCommandsToComplete: false).ConfigureAwait(false);
            await multiplexer.DisposeAsync().ConfigureAwait(false);
        }
    }

    public void Dispose() => DisposeAsync().AsTask().GetAwaiter().GetResult();
}
