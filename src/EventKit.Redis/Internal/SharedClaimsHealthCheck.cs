using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace EventKit.Redis.Internal;

/// <summary>
/// Readiness of the cross-node claims (<c>claims</c>, tag <c>ready</c>): Healthy while Redis shares them, otherwise
/// Degraded (anti-passback is per node) or, with <see cref="RedisCheckInClaimsOptions.RequireSharedClaims"/>, Unhealthy.
/// </summary>
internal sealed class SharedClaimsHealthCheck(IRedisConnection connection, bool required, string claimsPrefix) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        if (connection.IsConfigured && connection.IsConnected
            && !RedisHashTags.ShareSlot(connection.EpochKey, claimsPrefix) && RedisHashTags.IsCluster(connection.Multiplexer))
        {
            return Task.FromResult(HealthCheckResult.Unhealthy(
                $"Redis at {connection.Endpoint} is a Cluster and the claim keys ('{claimsPrefix}…') do not share the epoch key's hash tag ('{connection.EpochKey}'): the claims are per node. Set EventKit:Redis:KeyPrefix and EventKit:Claims:KeyPrefix with one tag, e.g. '{{eventkit}}:' and '{{eventkit}}:claims:'."));
        }

        if (connection.IsConfigured && connection.IsConnected)
        {
            return Task.FromResult(HealthCheckResult.Healthy($"Check-in claims are shared through Redis at {connection.Endpoint}."));
        }

        var reason = connection.IsConfigured
            ? $"Redis at {connection.Endpoint} is not connected: anti-passback and request-id replays are per node until Redis answers (PostgreSQL decides admissions the claims cannot vouch for)."
            : "No Redis is configured (ConnectionStrings:eventkit-redis, EVENTKIT_REDIS or .AddRedis(o => o.Configuration = …)): anti-passback and request-id replays are per node.";
        if (required)
        {
            reason += " EventKit:Claims:RequireSharedClaims is set.";
        }

        return Task.FromResult(required ? HealthCheckResult.Unhealthy(reason) : HealthCheckResult.Degraded(reason));
    }
}
