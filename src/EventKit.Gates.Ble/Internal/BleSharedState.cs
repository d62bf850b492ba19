using System.Globalization;
using EventKit.Redis;
using Microsoft.Extensions.Logging;
using StackExchange.Redis;

namespace EventKit.Gates.Ble.Internal;

/// <summary>
/// Clone detection and the Ruuvi nonce guard across nodes: when a Redis connection is registered and connected, every
/// node checks the same keys, so a report replayed to another node, or a credential entering gates served by two nodes,
/// is seen. Each check is one round trip (<c>SET NX PX</c> for a nonce, one script for an entry) and every key expires,
/// so Redis holds at most the reports of <see cref="BleGateOptions.NonceRetention"/> and the entries of one travel time.
/// </summary>
/// <remarks>
/// Without Redis (none registered, not connected, an error, a timeout, an open circuit) the node's own state decides:
/// <see cref="NonceGuard"/> for nonces and the presence engine's last entries for clones. That state is always kept too,
/// so a fallback still knows what this node saw. Every fallback is counted on
/// <c>eventkit.ble.shared_state.fallbacks</c> and the first of a run is logged.
/// </remarks>
internal sealed class BleSharedState
{
    // Refuses an entry at another gate within the travel time; otherwise records this one (gate|at) until it can no
    // longer make a later entry a clone.
    private const string EntryScript = """
        local v = redis.call('GET', KEYS[1])
        if v then
          local sep = string.find(v, '|', 1, true)
          local g = string.sub(v, 1, sep - 1)
          if g ~= ARGV[1] and math.abs(tonumber(ARGV[2]) - tonumber(string.sub(v, sep + 1))) < tonumber(ARGV[3]) then return g end
        end
        redis.call('SET', KEYS[1], ARGV[1] .. '|' .. ARGV[2], 'PX', ARGV[4])
        return ''
        """;

    // Compare-and-delete: forgets an entry whose check-in could not be stored, unless another entry replaced it.
    private const string ForgetScript = "if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end return 0";

    // A few consecutive failures open the circuit for a few seconds, so an unreachable Redis costs no timeouts per report.
    private const int CircuitThreshold = 3;
    private const long CircuitBreakMs = 5_000;

    private readonly IRedisConnection? _redis;
    private readonly NonceGuard _localNonces;
    private readonly TimeProvider _time;
    private readonly BleMetrics _metrics;
    private readonly ILogger _logger;
    private readonly CircuitBreaker _circuit = new(CircuitThreshold, CircuitBreakMs);
    private readonly TimeSpan _timeout;
    private readonly TimeSpan _nonceTtl;
    private readonly TimeSpan _entryTtl;
    private readonly string _travelMs;
    private readonly string _entryTtlMs;
    private readonly string _prefix;
    private int _degraded;

    public BleSharedState(IRedisConnection? redis, string redisKeyPrefix, long eventId, BleGateOptions options, TimeProvider time, BleMetrics metrics, ILogger logger)
    {
        _redis = redis is { IsConfigured: true } ? redis : null;
        _localNonces = new NonceGuard(options.NonceMemory);
        _time = time;
        _metrics = metrics;
        _logger = logger;
        _timeout = options.SharedStateTimeout;
        var window = options.MaxSightingAge + options.MaxClockSkew;
        _nonceTtl = options.NonceRetention > window ? options.NonceRetention : window;

        // Sightings may arrive up to MaxSightingAge late, so an entry must outlive its travel time by that much.
        _entryTtl = options.MinTravelTime + window;
        _travelMs = Milliseconds(options.MinTravelTime);
        _entryTtlMs = Milliseconds(_entryTtl);
        _prefix = string.Create(CultureInfo.InvariantCulture, $"{redisKeyPrefix}ble:{eventId}:");
        CloneDetection = options.MinTravelTime > TimeSpan.Zero;
        if (_redis is null)
        {
            Log.SharedStateLocal(logger);
        }
    }

    /// <summary>Whether entries are checked across nodes at all (a Redis is configured and clone detection is on).</summary>
    public bool SharesEntries => _redis is not null && CloneDetection;

    private bool CloneDetection { get; }

    /// <returns><see langword="false"/> if this gateway's nonce was seen before, by this node or (through Redis) any node.</returns>
    public async ValueTask<bool> TryAcceptNonceAsync(string gatewayId, ulong nonce)
    {
        if (!_localNonces.TryAccept(gatewayId, nonce))
        {
            return false;
        }

        if (_redis is null)
        {
            return true;
        }

        var key = string.Create(CultureInfo.InvariantCulture, $"{_prefix}nonce:{gatewayId}:{nonce}");
        var (ok, accepted) = await CallAsync(static (database, state) => database.StringSetAsync(state.key, 1, state.ttl, When.NotExists), (key, ttl: _nonceTtl), "nonce").ConfigureAwait(false);

        // Redis unreachable: this node's own memory (already updated above) is all there is.
        return !ok || accepted;
    }

    /// <summary>Records an entry the local engine accepted, unless another node saw the participant enter another gate
    /// within the travel time.</summary>
    public async ValueTask<SharedEntryCheck> TryRecordEntryAsync(long gateId, long participantId, long atMs)
    {
        if (!SharesEntries)
        {
            return default;
        }

        var key = EntryKey(participantId);
        var arguments = new RedisValue[] { gateId, atMs, _travelMs, _entryTtlMs };
        var (ok, result) = await CallAsync(static (database, state) => database.ScriptEvaluateAsync(EntryScript, [state.key], state.arguments), (key, arguments), "entry").ConfigureAwait(false);
        if (!ok)
        {
            return default;
        }

        var other = (string?)result;
        return string.IsNullOrEmpty(other) ? default : new SharedEntryCheck(true, long.Parse(other, CultureInfo.InvariantCulture));
    }

    /// <summary>Forgets an entry whose check-in could not be stored, so the participant's next sightings try again.</summary>
    public async ValueTask ForgetEntryAsync(long gateId, long participantId, long atMs)
    {
        if (!SharesEntries)
        {
            return;
        }

        var key = EntryKey(participantId);
        var value = string.Create(CultureInfo.InvariantCulture, $"{gateId}|{atMs}");
        await CallAsync(static (database, state) => database.ScriptEvaluateAsync(ForgetScript, [state.key], [state.value]), (key, value), "forget entry").ConfigureAwait(false);
    }

    private RedisKey EntryKey(long participantId) => string.Create(CultureInfo.InvariantCulture, $"{_prefix}entry:{participantId}");

    private async ValueTask<(bool Ok, TResult Result)> CallAsync<TState, TResult>(Func<IDatabase, TState, Task<TResult>> call, TState state, string operation)
    {
        var nowMs = _time.GetUtcNow().ToUnixTimeMilliseconds();
        if (_circuit.IsOpen(nowMs) || !_redis!.IsConnected || !_redis.TryGetDatabase(out var database))
        {
            Fallback(operation, nowMs, failed: false);
            return (false, default!);
        }

        try
        {
            var result = await call(database, state).WaitAsync(_timeout, _time).ConfigureAwait(false);
            if (_circuit.OnSuccess() | Interlocked.Exchange(ref _degraded, 0) == 1)
            {
                Log.SharedStateRecovered(_logger);
            }

            return (true, result);
        }
        catch (Exception e) when (e is RedisException or TimeoutException or ObjectDisposedException or InvalidOperationException)
        {
            Fallback(operation, nowMs, failed: true);
            return (false, default!);
        }
    }

    private void Fallback(string operation, long nowMs, bool failed)
    {
        if (failed)
        {
            _circuit.OnFailure(nowMs);
        }

        _metrics.SharedStateFallbacks.Add(1);
        if (Interlocked.Exchange(ref _degraded, 1) == 0)
        {
            Log.SharedStateDegraded(_logger, operation);
        }
    }

    private static string Milliseconds(TimeSpan span) => ((long)span.TotalMilliseconds).ToString(CultureInfo.InvariantCulture);
}
