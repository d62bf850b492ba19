using StackExchange.Redis;

namespace EventKit.Caching.Internal;

/// <summary>Atomic scripts for <see cref="RedisCheckInClaims"/>. Unlike cache calls, a failure throws, so the caller can fall back.</summary>
internal sealed partial class RedisL2Store
{
    public async ValueTask<RedisResult> EvaluateClaimScriptAsync(string script, string key, RedisValue[] arguments)
    {
        if (!CanCall())
        {
            throw new ClaimsUnavailableException("The Redis circuit is open.", null);
        }

        try
        {
            var result = await _database.ScriptEvaluateAsync(script, [(RedisKey)(_prefix + key)], arguments).WaitAsync(_timeout, _time).ConfigureAwait(false);
            Succeeded();
            return result;
        }
        catch (Exception e) when (IsRedisFailure(e))
        {
            Failed(e);
            throw new ClaimsUnavailableException("A Redis claim call failed.", e);
        }
    }

    public async ValueTask SetClaimValueAsync(string key, RedisValue value, TimeSpan expiry)
    {
        if (!CanCall())
        {
            throw new ClaimsUnavailableException("The Redis circuit is open.", null);
        }

        try
        {
            await _database.StringSetAsync(_prefix + key, value, expiry).WaitAsync(_timeout, _time).ConfigureAwait(false);
            Succeeded();
        }
        catch (Exception e) when (IsRedisFailure(e))
        {
            Failed(e);
            throw new ClaimsUnavailableException("A Redis claim call failed.", e);
        }
    }
}

/// <summary>Redis could not answer a claim call; the caller uses its local claims instead.</summary>
internal sealed class ClaimsUnavailableException(string message, Exception? inner) : Exception(message, inner);
