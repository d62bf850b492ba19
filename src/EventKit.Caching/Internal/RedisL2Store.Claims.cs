using StackExchange.Redis;

namespace EventKit.Caching.Internal;

/// <summary>
/// Redis calls of <see cref="RedisCheckInClaims"/>. They report failure as a value instead of throwing (a
/// failing Redis under load would otherwise cost an exception per check-in), use the claims' own timeout,
/// and leave the cache's circuit alone: the claims keep their own.
/// </summary>
internal sealed partial class RedisL2Store
{
    public async ValueTask<ClaimReply> TryEvaluateClaimScriptAsync(string script, string[] keys, RedisValue[] arguments, TimeSpan timeout)
    {
        if (!_connection.IsConnected)
        {
            return ClaimReply.Failed;
        }

        try
        {
            var redisKeys = new RedisKey[keys.Length];
            for (var i = 0; i < keys.Length; i++)
            {
                redisKeys[i] = _prefix + keys[i];
            }

            var result = await _database.ScriptEvaluateAsync(script, redisKeys, arguments).WaitAsync(timeout, _time).ConfigureAwait(false);
            return new ClaimReply(true, result);
        }
        catch (Exception e) when (IsRedisFailure(e))
        {
            return ClaimReply.Failed;
        }
    }

    public async ValueTask<bool> TrySetClaimValueAsync(string key, RedisValue value, TimeSpan expiry, TimeSpan timeout)
    {
        if (!_connection.IsConnected)
        {
            return false;
        }

        try
        {
            return await _database.StringSetAsync(_prefix + key, value, expiry).WaitAsync(timeout, _time).ConfigureAwait(false);
        }
        catch (Exception e) when (IsRedisFailure(e))
        {
            return false;
        }
    }
}

/// <summary>The outcome of a claim call: whether Redis answered, and what.</summary>
internal readonly record struct ClaimReply(bool Ok, RedisResult? Result)
{
    public static ClaimReply Failed { get; } = new(false, null);
}
