using System.Globalization;
using EventKit.Internal;
using Microsoft.Extensions.Logging;
using StackExchange.Redis;

namespace EventKit.Redis.Internal;

/// <summary>
/// Check-in claims shared by every node through Redis: atomic <c>SET NX PX</c> (in one script with the read-back of the
/// holder), compare-and-delete releases. While Redis is unreachable (error, timeout, open circuit) each call falls back
/// to this node's own claims; whenever Redis cannot vouch for what other nodes did, a free passage or a new request is
/// reported <c>Unverified</c> and the pipeline lets PostgreSQL decide under a passage lock. That is the case:
/// <list type="bullet">
/// <item>on the fallback (this node cannot see other nodes' claims);</item>
/// <item>while Redis's epoch key is missing or younger than one re-entry window (Redis restarted empty, failed over to
/// a stale replica, was flushed, or is new): checked inside every claim script, so no node trusts an empty Redis even
/// before its own connection noticed anything;</item>
/// <item>for one re-entry window after any node recovered from the fallback (it writes <c>{prefix}unverified-until</c>,
/// read by the same scripts), because its fallback admissions are not in Redis.</item>
/// </list>
/// </summary>
internal sealed class RedisCheckInClaims : ICheckInClaims
{
    // Shared by the scripts: u = 0 when the claims can vouch, 1 when they cannot (no epoch: Redis lost its data; or a node
    // recovered from its fallback within the window), 2 when the epoch is younger than the window (Redis is new or came
    // back empty: the pipeline checks once per epoch whether PostgreSQL admitted anything Redis cannot know about).
    private const string VerifiedLua = """
        local function unverified(epochKey, untilKey, now, window)
          local e = redis.call('GET', epochKey)
          if not e then return 1, '' end
          if tonumber(redis.call('GET', untilKey) or '0') > now then return 1, e end
          local sep = string.find(e, '|', 1, true)
          if not sep or now - tonumber(string.sub(e, sep + 1)) < window then return 2, e end
          return 0, e
        end
        """;

    private const string ClaimScript = VerifiedLua + "\n" + """
        local u, e = unverified(KEYS[2], KEYS[3], tonumber(ARGV[3]), tonumber(ARGV[4]))
        if redis.call('SET', KEYS[1], ARGV[1], 'NX', 'PX', ARGV[2]) then return {'', u, e} end
        return {redis.call('GET', KEYS[1]), u, e}
        """;

    private const string ReleaseScript = "local v = redis.call('GET', KEYS[1]) if v and string.sub(v, 1, 32) == ARGV[1] then return redis.call('DEL', KEYS[1]) end return 0";

    // Request states: absent, 'p' (in flight), 'pu' (in flight, an earlier attempt's commit unknown), 'u' (abandoned with
    // its commit unknown), or a stored answer. 'u' survives until an answer is saved, so a retry always looks for the record.
    private const string StartScript = VerifiedLua + "\n" + """
        local u, e = unverified(KEYS[2], KEYS[3], tonumber(ARGV[2]), tonumber(ARGV[3]))
        local v = redis.call('GET', KEYS[1])
        if not v then redis.call('SET', KEYS[1], 'p', 'PX', ARGV[1]) return {'', u, e} end
        if v == 'u' then redis.call('SET', KEYS[1], 'pu', 'PX', ARGV[1]) return {'u', u, e} end
        return {v, u, e}
        """;

    private const string AbandonScript = """
        local v = redis.call('GET', KEYS[1])
        if v ~= 'p' and v ~= 'pu' then return 0 end
        if ARGV[1] == '1' or v == 'pu' then redis.call('SET', KEYS[1], 'u', 'PX', ARGV[2]) return 1 end
        return redis.call('DEL', KEYS[1])
        """;

    // Start a request and claim its passage in one round trip. Duplicate answers are written in the format of FormatAnswer.
    private const string AdmissionScript = VerifiedLua + "\n" + """
        local u, e = unverified(KEYS[3], KEYS[4], tonumber(ARGV[7]), tonumber(ARGV[8]))
        local v = redis.call('GET', KEYS[1])
        if v == 'p' or v == 'pu' then return {'i'} end
        if v == 'u' then redis.call('SET', KEYS[1], 'pu', 'PX', ARGV[1]) return {'u', '', u, e} end
        if v then return {'a', v} end
        if tonumber(ARGV[3]) > 0 and not redis.call('SET', KEYS[2], ARGV[2], 'NX', 'PX', ARGV[3]) then
          local h = redis.call('GET', KEYS[2])
          local sep = string.find(h, '|', 1, true)
          redis.call('SET', KEYS[1], 'a|1|' .. ARGV[4] .. '|' .. string.sub(h, 1, sep - 1) .. '|' .. ARGV[5] .. '|' .. string.sub(h, sep + 1) .. '|', 'PX', ARGV[6])
          return {'h', h}
        end
        redis.call('SET', KEYS[1], 'p', 'PX', ARGV[1])
        return {'c', '', u, e}
        """;

    // Max-wins: a recovery never shortens another node's window.
    private const string MarkUnverifiedScript = "if tonumber(redis.call('GET', KEYS[1]) or '0') < tonumber(ARGV[1]) then redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2]) end return 1";

    private static readonly string UncertainRetention = Milliseconds(TimeSpan.FromHours(24));

    private readonly IRedisConnection _redis;
    private readonly ICheckInClaims _local;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly CircuitBreaker _circuit;
    private readonly CoarseTimeout _timeout;
    private readonly string _prefix;
    private readonly string _epochKey;
    private readonly string _unverifiedKey;
    private readonly TimeSpan _recoveryWindow;
    private readonly string _recoveryWindowMs;
    private readonly IAttendanceReader? _admissions;
    private readonly Lock _epochGate = new();
    private string? _checkedEpoch;
    private Task<bool>? _epochQuiet;
    private long _locallyUnverifiedUntilMs;
    private int _degraded;
    private readonly bool _keysShareSlot;
    private IConnectionMultiplexer? _slotCheckedFor;
    private bool _refusedByCluster;

    public RedisCheckInClaims(IRedisConnection redis, ICheckInClaims local, RedisCheckInClaimsOptions options, TimeSpan recoveryWindow, TimeProvider time, ILogger logger, IAttendanceReader? admissions = null)
    {
        _admissions = admissions;
        _redis = redis;
        _local = local;
        _time = time;
        _logger = logger;
        _circuit = new CircuitBreaker(options.CircuitBreakerThreshold, (long)options.CircuitBreakDuration.TotalMilliseconds);
        _timeout = new CoarseTimeout(options.Timeout, time);
        _prefix = options.KeyPrefix;
        _epochKey = redis.EpochKey;
        _unverifiedKey = _prefix + "unverified-until";
        _recoveryWindow = recoveryWindow;
        _recoveryWindowMs = Milliseconds(recoveryWindow);
        _keysShareSlot = RedisHashTags.ShareSlot(_epochKey, _unverifiedKey, _prefix);

        // This node's own view, for the moments before a script could tell: a reconnect or a detected data loss.
        redis.StateChanged += (_, change) =>
        {
            if (change.State is RedisConnectionState.DataLost or RedisConnectionState.Restored && !change.IsSubscription)
            {
                MarkLocallyUnverified();
            }
        };
    }

    public async ValueTask<AdmissionStart> TryStartAdmissionAsync(Guid requestId, TimeSpan lease, long participantId, long gateId, PassageClaim claim, TimeSpan window, TimeSpan retention, CancellationToken cancellationToken = default)
    {
        var now = NowMs();
        var reply = await EvaluateAsync(
            AdmissionScript,
            [RequestKey(requestId), PassageKey(participantId, gateId), _epochKey, _unverifiedKey],
            [
                Milliseconds(lease),
                FormatPassage(claim),
                window > TimeSpan.Zero ? Milliseconds(window) : "0",
                gateId.ToString(CultureInfo.InvariantCulture),
                participantId.ToString(CultureInfo.InvariantCulture),
                Milliseconds(retention),
                now.ToString(CultureInfo.InvariantCulture),
                _recoveryWindowMs,
            ],
            "start admission").ConfigureAwait(false);
        if (!reply.Ok)
        {
            var fallback = await _local.TryStartAdmissionAsync(requestId, lease, participantId, gateId, claim, window, retention, cancellationToken).ConfigureAwait(false);
            return fallback.State == AdmissionStartState.Started ? fallback with { Unverified = true } : fallback;
        }

        var parts = (RedisResult[])reply.Result!;
        return (string)parts[0]! switch
        {
            "i" => new AdmissionStart(AdmissionStartState.InFlight),
            "u" => new AdmissionStart(AdmissionStartState.Started, OutcomeUnknown: true, Unverified: await UnverifiedAsync(parts[2], parts[3], now).ConfigureAwait(false)),
            "a" => new AdmissionStart(AdmissionStartState.Answered, Answer: ParseAnswer((string)parts[1]!)),
            "h" => new AdmissionStart(AdmissionStartState.Held, Holder: ParsePassage((string)parts[1]!)),
            _ => new AdmissionStart(AdmissionStartState.Started, PassageClaimed: window > TimeSpan.Zero, Unverified: await UnverifiedAsync(parts[2], parts[3], now).ConfigureAwait(false)),
        };
    }

    public async ValueTask<PassageClaim?> TryClaimPassageAsync(long participantId, long gateId, PassageClaim claim, TimeSpan window, CancellationToken cancellationToken = default)
        => (await TryClaimPassageCheckedAsync(participantId, gateId, claim, window, cancellationToken).ConfigureAwait(false)).Holder;

    public async ValueTask<PassageClaimResult> TryClaimPassageCheckedAsync(long participantId, long gateId, PassageClaim claim, TimeSpan window, CancellationToken cancellationToken = default)
    {
        var now = NowMs();
        var reply = await EvaluateAsync(
            ClaimScript,
            [PassageKey(participantId, gateId), _epochKey, _unverifiedKey],
            [FormatPassage(claim), Milliseconds(window), now.ToString(CultureInfo.InvariantCulture), _recoveryWindowMs],
            "claim").ConfigureAwait(false);
        if (!reply.Ok)
        {
            var held = await _local.TryClaimPassageAsync(participantId, gateId, claim, window, cancellationToken).ConfigureAwait(false);
            return new PassageClaimResult(held, Unverified: held is null);
        }

        var parts = (RedisResult[])reply.Result!;
        var holder = (string)parts[0]!;
        return holder.Length == 0 ? new PassageClaimResult(null, await UnverifiedAsync(parts[1], parts[2], now).ConfigureAwait(false)) : new PassageClaimResult(ParsePassage(holder));
    }

    public async ValueTask ReleasePassageAsync(long participantId, long gateId, Guid recordId, CancellationToken cancellationToken = default)
    {
        // Both places: the claim may have been taken in either.
        await _local.ReleasePassageAsync(participantId, gateId, recordId, cancellationToken).ConfigureAwait(false);
        await EvaluateAsync(ReleaseScript, [PassageKey(participantId, gateId)], [recordId.ToString("N")], "release").ConfigureAwait(false);
    }

    public async ValueTask<RequestStart> TryStartRequestAsync(Guid requestId, TimeSpan lease, CancellationToken cancellationToken = default)
    {
        var now = NowMs();
        var reply = await EvaluateAsync(
            StartScript,
            [RequestKey(requestId), _epochKey, _unverifiedKey],
            [Milliseconds(lease), now.ToString(CultureInfo.InvariantCulture), _recoveryWindowMs],
            "start request").ConfigureAwait(false);
        if (!reply.Ok)
        {
            var fallback = await _local.TryStartRequestAsync(requestId, lease, cancellationToken).ConfigureAwait(false);
            return fallback.State == RequestStartState.Started ? fallback with { Unverified = true } : fallback;
        }

        var parts = (RedisResult[])reply.Result!;
        return (string)parts[0]! switch
        {
            "" => new RequestStart(RequestStartState.Started, Unverified: await UnverifiedAsync(parts[1], parts[2], now).ConfigureAwait(false)),
            "u" => new RequestStart(RequestStartState.Started, OutcomeUnknown: true, Unverified: await UnverifiedAsync(parts[1], parts[2], now).ConfigureAwait(false)),
            "p" or "pu" => RequestStart.InFlight,
            var answer => new RequestStart(RequestStartState.Answered, ParseAnswer(answer)),
        };
    }

    public async ValueTask SaveAnswerAsync(Guid requestId, CheckInResult answer, TimeSpan retention, CancellationToken cancellationToken = default)
    {
        var saved = false;
        if (CanCall())
        {
            saved = await TrySetAsync(RequestKey(requestId), FormatAnswer(answer), retention).ConfigureAwait(false);
            Record(saved, "save answer");
        }

        // Only what Redis could not take is kept here (so this node still answers its replays exactly): keeping every
        // answer for the whole idempotency window would grow this process by the check-in rate × 24 h.
        if (!saved)
        {
            await _local.SaveAnswerAsync(requestId, answer, retention, cancellationToken).ConfigureAwait(false);
        }
    }

    public async ValueTask AbandonRequestAsync(Guid requestId, bool outcomeUnknown = false, CancellationToken cancellationToken = default)
    {
        await _local.AbandonRequestAsync(requestId, outcomeUnknown, cancellationToken).ConfigureAwait(false);
        await EvaluateAsync(AbandonScript, [RequestKey(requestId)], [outcomeUnknown ? "1" : "0", UncertainRetention], "abandon request").ConfigureAwait(false);
    }

    /// <summary>Whether a free passage or a new request must be decided by PostgreSQL (see the class remarks).</summary>
    private ValueTask<bool> UnverifiedAsync(RedisResult flag, RedisResult epoch, long nowMs)
    {
        if (nowMs < Interlocked.Read(ref _locallyUnverifiedUntilMs))
        {
            return ValueTask.FromResult(true);
        }

        return (long)flag switch
        {
            0 => ValueTask.FromResult(false),
            2 => YoungEpochUnverifiedAsync((string)epoch!),
            _ => ValueTask.FromResult(true),
        };
    }

    /// <summary>
    /// A Redis younger than one re-entry window may have replaced one that held claims. Once per epoch, PostgreSQL says
    /// whether anything was admitted within the window; if not, there is nothing this Redis could have forgotten, and
    /// everything admitted from now on is claimed in it.
    /// </summary>
    private async ValueTask<bool> YoungEpochUnverifiedAsync(string epoch)
    {
        if (_admissions is null)
        {
            return true;
        }

        Task<bool> quiet;
        lock (_epochGate)
        {
            if (_checkedEpoch != epoch)
            {
                _checkedEpoch = epoch;
                _epochQuiet = NothingAdmittedWithinWindowAsync();
            }

            quiet = _epochQuiet!;
        }

        return !await quiet.ConfigureAwait(false);
    }

    private async Task<bool> NothingAdmittedWithinWindowAsync()
    {
        try
        {
            return !await _admissions!.AnyRecordSinceAsync(_time.GetUtcNow() - _recoveryWindow).ConfigureAwait(false);
        }
#pragma warning disable CA1031 // PostgreSQL unreachable: stay unverified (the degraded path then answers 503 until it is back).
        catch (Exception)
#pragma warning restore CA1031
        {
            lock (_epochGate)
            {
                _checkedEpoch = null;
            }

            return false;
        }
    }

    private void MarkLocallyUnverified()
    {
        InterlockedMax.Raise(ref _locallyUnverifiedUntilMs, NowMs() + (long)_recoveryWindow.TotalMilliseconds);
    }

    private long NowMs() => _time.GetUtcNow().ToUnixTimeMilliseconds();

    private async ValueTask<ClaimReply> EvaluateAsync(string script, string[] keys, RedisValue[] arguments, string operation)
    {
        if (!CanCall())
        {
            return ClaimReply.Failed;
        }

        ClaimReply reply;
        if (!_redis.IsConnected || !_redis.TryGetDatabase(out var database) || RefusedByCluster())
        {
            reply = ClaimReply.Failed;
        }
        else
        {
            try
            {
                var redisKeys = new RedisKey[keys.Length];
                for (var i = 0; i < keys.Length; i++)
                {
                    redisKeys[i] = keys[i];
                }

                reply = new ClaimReply(true, await database.ScriptEvaluateAsync(script, redisKeys, arguments).WaitAsync(_timeout.Token()).ConfigureAwait(false));
            }
            catch (Exception e) when (IsRedisFailure(e))
            {
                reply = ClaimReply.Failed;
            }
        }

        Record(reply.Ok, operation);
        return reply;
    }

    /// <summary>
    /// On a Redis Cluster the scripts need the epoch key and the claim keys in one slot (one hash tag); without it every
    /// script would fail with a cross-slot error. Such a node refuses the Cluster once, says so, and decides on its own
    /// (unverified: PostgreSQL decides) — the health check <c>claims</c> reports it.
    /// </summary>
    private bool RefusedByCluster()
    {
        if (_keysShareSlot)
        {
            return false;
        }

        var multiplexer = _redis.Multiplexer;
        if (!ReferenceEquals(Volatile.Read(ref _slotCheckedFor), multiplexer))
        {
            _refusedByCluster = RedisHashTags.IsCluster(multiplexer);
            Volatile.Write(ref _slotCheckedFor, multiplexer);
            if (_refusedByCluster)
            {
                Log.ClaimsRefuseCluster(_logger, _prefix, _epochKey);
            }
        }

        return _refusedByCluster;
    }

    private async ValueTask<bool> TrySetAsync(string key, RedisValue value, TimeSpan expiry)
    {
        if (!_redis.IsConnected || !_redis.TryGetDatabase(out var database))
        {
            return false;
        }

        try
        {
            return await database.StringSetAsync(key, value, expiry).WaitAsync(_timeout.Token()).ConfigureAwait(false);
        }
        catch (Exception e) when (IsRedisFailure(e))
        {
            return false;
        }
    }

    // OperationCanceledException: the call's time ran out (CoarseTimeout's token; no caller's token reaches Redis here).
    private static bool IsRedisFailure(Exception e) => e is RedisException or TimeoutException or OperationCanceledException or ObjectDisposedException or InvalidOperationException;

    private bool CanCall() => !_circuit.IsOpen(NowMs());

    private void Record(bool ok, string operation)
    {
        if (ok)
        {
            _circuit.OnSuccess();
            if (Volatile.Read(ref _degraded) == 1)
            {
                // What this node admitted on its own is not in Redis: every node lets PostgreSQL decide for one window.
                // Mark this node before clearing the flag: a concurrent success that finds the flag cleared must also
                // find the mark (the fault suite caught fast-path admissions at the recovery while the thread that had
                // cleared the flag was descheduled before marking).
                MarkLocallyUnverified();
                if (Interlocked.Exchange(ref _degraded, 0) == 1)
                {
                    _ = MarkUnverifiedEverywhereAsync();
                    Log.ClaimsRecovered(_logger);
                }
            }

            return;
        }

        _circuit.OnFailure(NowMs());
        if (Interlocked.Exchange(ref _degraded, 1) == 0)
        {
            Log.ClaimsDegraded(_logger, operation);
        }
    }

    private async Task MarkUnverifiedEverywhereAsync()
    {
        if (!_redis.TryGetDatabase(out var database))
        {
            return;
        }

        try
        {
            var until = NowMs() + (long)_recoveryWindow.TotalMilliseconds;
            await database.ScriptEvaluateAsync(MarkUnverifiedScript, [_unverifiedKey], [until, _recoveryWindowMs]).WaitAsync(_timeout.Token()).ConfigureAwait(false);
        }
        catch (Exception e) when (IsRedisFailure(e))
        {
            // Redis went away again: this node is degraded again and will mark the window when it recovers.
        }
    }

    internal static string FormatAnswer(CheckInResult answer)
        => string.Create(CultureInfo.InvariantCulture, $"a|{(int)answer.Status}|{answer.GateId}|{answer.RecordId:N}|{answer.ParticipantId}|{answer.OccurredAt?.UtcTicks}|{(int?)answer.ParticipantStatus}");

    internal static CheckInResult ParseAnswer(string value)
    {
        var parts = value.Split('|');
        if (parts.Length != 7 || parts[0] != "a")
        {
            throw new FormatException("Not a stored check-in answer.");
        }

        return CheckInResult.Rehydrate(
            (CheckInStatus)int.Parse(parts[1], CultureInfo.InvariantCulture),
            long.Parse(parts[2], CultureInfo.InvariantCulture),
            parts[3].Length == 0 ? null : Guid.ParseExact(parts[3], "N"),
            parts[4].Length == 0 ? null : long.Parse(parts[4], CultureInfo.InvariantCulture),
            parts[5].Length == 0 ? null : new DateTimeOffset(long.Parse(parts[5], CultureInfo.InvariantCulture), TimeSpan.Zero),
            parts[6].Length == 0 ? null : (ParticipantStatus)int.Parse(parts[6], CultureInfo.InvariantCulture));
    }

    private string PassageKey(long participantId, long gateId) => string.Create(CultureInfo.InvariantCulture, $"{_prefix}p:{participantId}:{gateId}");

    private string RequestKey(Guid requestId) => _prefix + "r:" + requestId.ToString("N");

    private static string FormatPassage(PassageClaim claim) => string.Create(CultureInfo.InvariantCulture, $"{claim.RecordId:N}|{claim.OccurredAt.UtcTicks}");

    private static PassageClaim ParsePassage(string value)
        => new(Guid.ParseExact(value.AsSpan(0, 32), "N"), new DateTimeOffset(long.Parse(value.AsSpan(33), CultureInfo.InvariantCulture), TimeSpan.Zero));

    private static string Milliseconds(TimeSpan span) => Math.Max(1, (long)span.TotalMilliseconds).ToString(CultureInfo.InvariantCulture);
}
