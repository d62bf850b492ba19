using EventKit.Redis;
using Microsoft.Extensions.Logging;
using StackExchange.Redis;

namespace EventKit.Scaling.Internal;

/// <summary>Leases (<c>SET NX PX</c> + <c>INCR</c> fencing counter, one Lua script) and the fencing guard over the shared Redis connection.</summary>
internal sealed class RedisLeases(IRedisConnection redis, ScalingOptions options, string nodeId, TimeProvider time, ILogger logger) : ILeaseProvider, IFencingGuard
{
    // KEYS[1] lease, KEYS[2] fencing counter; ARGV[1] owner, ARGV[2] ttl ms. Returns the token, or -1 when another owner holds it.
    private const string AcquireScript = """
        local v = redis.call('GET', KEYS[1])
        if not v then
          local t = redis.call('INCR', KEYS[2])
          redis.call('SET', KEYS[1], ARGV[1] .. '|' .. t, 'PX', ARGV[2])
          return t
        end
        local p = string.find(v, '|', 1, true)
        if p and string.sub(v, 1, p - 1) == ARGV[1] then
          redis.call('PEXPIRE', KEYS[1], ARGV[2])
          return tonumber(string.sub(v, p + 1))
        end
        return -1
        """;

    // KEYS[1] lease; ARGV[1] owner|token.
    private const string ReleaseScript = """
        if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
        return 0
        """;

    // KEYS[1] guard; ARGV[1] token. Accepts a token at least as high as the highest seen.
    private const string AcceptScript = """
        local h = tonumber(redis.call('GET', KEYS[1]) or '0')
        local t = tonumber(ARGV[1])
        if t >= h then redis.call('SET', KEYS[1], ARGV[1]) return 1 end
        return 0
        """;

    public async Task<FencedLease?> TryAcquireAsync(string name, TimeSpan duration, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        if (!redis.TryGetDatabase(out var database))
        {
            return null;
        }

        // Validity runs from before the request: the holder's view of its lease never outlives Redis's.
        var started = time.GetUtcNow();
        try
        {
            var result = await database.ScriptEvaluateAsync(
                AcquireScript,
                [LeaseKey(name), options.KeyPrefix + "fence:{" + name + "}"],
                [nodeId, (long)duration.TotalMilliseconds]).WaitAsync(cancellationToken).ConfigureAwait(false);
            var token = (long)result;
            return token < 0 ? null : new FencedLease(name, nodeId, token, started + duration);
        }
        catch (Exception e) when (e is RedisException or TimeoutException)
        {
            Log.LeaseUnavailable(logger, name, e.GetType().Name);
            return null;
        }
    }

    public async Task<bool> ReleaseAsync(FencedLease lease, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(lease);
        if (!redis.TryGetDatabase(out var database))
        {
            return false;
        }

        try
        {
            var result = await database.ScriptEvaluateAsync(
                ReleaseScript,
                [LeaseKey(lease.Name)],
                [lease.Owner + "|" + lease.Token.ToString(System.Globalization.CultureInfo.InvariantCulture)]).WaitAsync(cancellationToken).ConfigureAwait(false);
            return (long)result == 1;
        }
        catch (Exception e) when (e is RedisException or TimeoutException)
        {
            Log.LeaseUnavailable(logger, lease.Name, e.GetType().Name);
            return false;
        }
    }

    // The lease and its fencing counter are one script's keys: the braces (a hash tag) keep them in one Redis Cluster
    // slot. A KeyPrefix with its own tag wins (Redis takes the first one), which keeps them together just as well.
    private string LeaseKey(string name) => options.KeyPrefix + "lease:{" + name + "}";

    public async Task<bool> TryAcceptAsync(string resource, long token, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(resource);
        if (!redis.TryGetDatabase(out var database))
        {
            return false;
        }

        try
        {
            var result = await database.ScriptEvaluateAsync(
                AcceptScript,
                [options.KeyPrefix + "guard:" + resource],
                [token]).WaitAsync(cancellationToken).ConfigureAwait(false);
            var accepted = (long)result == 1;
            if (!accepted)
            {
                Log.StaleTokenRefused(logger, resource, token);
            }

            return accepted;
        }
        catch (Exception e) when (e is RedisException or TimeoutException)
        {
            Log.LeaseUnavailable(logger, resource, e.GetType().Name);
            return false;
        }
    }
}
