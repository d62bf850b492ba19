using System.Globalization;
using Microsoft.Extensions.Logging;
using StackExchange.Redis;

namespace EventKit.Redis.Internal;

/// <summary>
/// Check-in claims shared by every node through Redis: atomic <c>SET NX PX</c> (in one script with the
/// read-back of the holder), compare-and-delete releases. While Redis is unreachable (error, timeout,
/// open circuit) each call falls back to this node's own claims, so a single node keeps exact
/// anti-passback and idempotency; across nodes the guarantee returns when Redis does.
/// </summary>
internal sealed class RedisCheckInClaims(IRedisConnection redis, ICheckInClaims local, RedisCheckInClaimsOptions options, TimeProvider time, ILogger logger) : ICheckInClaims
{
    private const string ClaimScript = "if redis.call('SET', KEYS[1], ARGV[1], 'NX', 'PX', ARGV[2]) then return false end return redis.call('GET', KEYS[1])";
    private const string ReleaseScript = "local v = redis.call('GET', KEYS[1]) if v and string.sub(v, 1, 32) == ARGV[1] then return redis.call('DEL', KEYS[1]) end return 0";
    // Request states: absent, 'p' (in flight), 'pu' (in flight, an earlier attempt's commit unknown), 'u' (abandoned with
    // its commit unknown), or a stored answer. 'u' survives until an answer is saved, so a retry always looks for the record.
    private const string StartScript = """
        local v = redis.call('GET', KEYS[1])
        if not v then redis.call('SET', KEYS[1], 'p', 'PX', ARGV[1]) return false end
        if v == 'u' then redis.call('SET', KEYS[1], 'pu', 'PX', ARGV[1]) return 'u' end
        return v
        """;

    private const string AbandonScript = """
        local v = redis.call('GET', KEYS[1])
        if v ~= 'p' and v ~= 'pu' then return 0 end
        if ARGV[1] == '1' or v == 'pu' then redis.call('SET', KEYS[1], 'u', 'PX', ARGV[2]) return 1 end
        return redis.call('DEL', KEYS[1])
        """;

    // Start a request and claim its passage in one round trip. Duplicate answers are written in the format of FormatAnswer.
    private const string AdmissionScript = """
        local v = redis.call('GET', KEYS[1])
        if v == 'p' or v == 'pu' then return {'i'} end
        if v == 'u' then redis.call('SET', KEYS[1], 'pu', 'PX', ARGV[1]) return {'u'} end
        if v then return {'a', v} end
        if tonumber(ARGV[3]) > 0 and not redis.call('SET', KEYS[2], ARGV[2], 'NX', 'PX', ARGV[3]) then
          local h = redis.call('GET', KEYS[2])
          local sep = string.find(h, '|', 1, true)
          redis.call('SET', KEYS[1], 'a|1|' .. ARGV[4] .. '|' .. string.sub(h, 1, sep - 1) .. '|' .. ARGV[5] .. '|' .. string.sub(h, sep + 1) .. '|', 'PX', ARGV[6])
          return {'h', h}
        end
        redis.call('SET', KEYS[1], 'p', 'PX', ARGV[1])
        return {'c'}
        """;

    private static readonly string UncertainRetention = Milliseconds(TimeSpan.FromHours(24));

    private readonly CircuitBreaker _circuit = new(options.CircuitBreakerThreshold, (long)options.CircuitBreakDuration.TotalMilliseconds);
    private readonly TimeSpan _timeout = options.Timeout;
    private readonly string _prefix = options.KeyPrefix;
    private int _degraded;

    public async ValueTask<AdmissionStart> TryStartAdmissionAsync(Guid requestId, TimeSpan lease, long participantId, long gateId, PassageClaim claim, TimeSpan window, TimeSpan retention, CancellationToken cancellationToken = default)
    {
        var reply = await EvaluateAsync(
            AdmissionScript,
            [RequestKey(requestId), PassageKey(participantId, gateId)],
            [
                Milliseconds(lease),
                FormatPassage(claim),
                window > TimeSpan.Zero ? Milliseconds(window) : "0",
                gateId.ToString(CultureInfo.InvariantCulture),
                participantId.ToString(CultureInfo.InvariantCulture),
                Milliseconds(retention),
            ],
            "start admission").ConfigureAwait(false);
        if (!reply.Ok)
        {
            return await ((ICheckInClaims)local).TryStartAdmissionAsync(requestId, lease, participantId, gateId, claim, window, retention, cancellationToken).ConfigureAwait(false);
        }

        var parts = (RedisResult[])reply.Result!;
        return (string)parts[0]! switch
        {
            "i" => new AdmissionStart(AdmissionStartState.InFlight),
            "u" => new AdmissionStart(AdmissionStartState.Started, OutcomeUnknown: true),
            "a" => new AdmissionStart(AdmissionStartState.Answered, Answer: ParseAnswer((string)parts[1]!)),
            "h" => new AdmissionStart(AdmissionStartState.Held, Holder: ParsePassage((string)parts[1]!)),
            _ => new AdmissionStart(AdmissionStartState.Started, PassageClaimed: window > TimeSpan.Zero),
        };
    }

    public async ValueTask<PassageClaim?> TryClaimPassageAsync(long participantId, long gateId, PassageClaim claim, TimeSpan window, CancellationToken cancellationToken = default)
    {
        var reply = await EvaluateAsync(ClaimScript, [PassageKey(participantId, gateId)], [FormatPassage(claim), Milliseconds(window)], "claim").ConfigureAwait(false);
        if (!reply.Ok)
        {
            return await local.TryClaimPassageAsync(participantId, gateId, claim, window, cancellationToken).ConfigureAwait(false);
        }

        return reply.Result!.IsNull ? null : ParsePassage((string)reply.Result!);
    }

    public async ValueTask ReleasePassageAsync(long participantId, long gateId, Guid recordId, CancellationToken cancellationToken = default)
    {
        // Both places: the claim may have been taken in either.
        await local.ReleasePassageAsync(participantId, gateId, recordId, cancellationToken).ConfigureAwait(false);
        await EvaluateAsync(ReleaseScript, [PassageKey(participantId, gateId)], [recordId.ToString("N")], "release").ConfigureAwait(false);
    }

    public async ValueTask<RequestStart> TryStartRequestAsync(Guid requestId, TimeSpan lease, CancellationToken cancellationToken = default)
    {
        var reply = await EvaluateAsync(StartScript, [RequestKey(requestId)], [Milliseconds(lease)], "start request").ConfigureAwait(false);
        if (!reply.Ok)
        {
            return await local.TryStartRequestAsync(requestId, lease, cancellationToken).ConfigureAwait(false);
        }

        if (reply.Result!.IsNull)
        {
            return RequestStart.Started;
        }

        return (string)reply.Result! switch
        {
            "u" => new RequestStart(RequestStartState.Started, OutcomeUnknown: true),
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
            await local.SaveAnswerAsync(requestId, answer, retention, cancellationToken).ConfigureAwait(false);
        }
    }

    public async ValueTask AbandonRequestAsync(Guid requestId, bool outcomeUnknown = false, CancellationToken cancellationToken = default)
    {
        await local.AbandonRequestAsync(requestId, outcomeUnknown, cancellationToken).ConfigureAwait(false);
        await EvaluateAsync(AbandonScript, [RequestKey(requestId)], [outcomeUnknown ? "1" : "0", UncertainRetention], "abandon request").ConfigureAwait(false);
    }

    private async ValueTask<ClaimReply> EvaluateAsync(string script, string[] keys, RedisValue[] arguments, string operation)
    {
        if (!CanCall())
        {
            return ClaimReply.Failed;
        }

        ClaimReply reply;
        if (!redis.IsConnected || !redis.TryGetDatabase(out var database))
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

                reply = new ClaimReply(true, await database.ScriptEvaluateAsync(script, redisKeys, arguments).WaitAsync(_timeout, time).ConfigureAwait(false));
            }
            catch (Exception e) when (IsRedisFailure(e))
            {
                reply = ClaimReply.Failed;
            }
        }

        Record(reply.Ok, operation);
        return reply;
    }

    private async ValueTask<bool> TrySetAsync(string key, RedisValue value, TimeSpan expiry)
    {
        if (!redis.IsConnected || !redis.TryGetDatabase(out var database))
        {
            return false;
        }

        try
        {
            return await database.StringSetAsync(key, value, expiry).WaitAsync(_timeout, time).ConfigureAwait(false);
        }
        catch (Exception e) when (IsRedisFailure(e))
        {
            return false;
        }
    }

    private static bool IsRedisFailure(Exception e) => e is RedisException or TimeoutException or ObjectDisposedException or InvalidOperationException;

    private bool CanCall() => !_circuit.IsOpen(time.GetUtcNow().ToUnixTimeMilliseconds());

    private void Record(bool ok, string operation)
    {
        if (ok)
        {
            _circuit.OnSuccess();
            if (Volatile.Read(ref _degraded) == 1 && Interlocked.Exchange(ref _degraded, 0) == 1)
            {
                Log.ClaimsRecovered(logger);
            }

            return;
        }

        _circuit.OnFailure(time.GetUtcNow().ToUnixTimeMilliseconds());
        if (Interlocked.Exchange(ref _degraded, 1) == 0)
        {
            Log.ClaimsDegraded(logger, operation);
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

/// <summary>The outcome of a claim call: whether Redis answered, and what.</summary>
internal readonly record struct ClaimReply(bool Ok, RedisResult? Result)
{
    public static ClaimReply Failed { get; } = new(false, null);
}
