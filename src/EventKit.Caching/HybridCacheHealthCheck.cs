using EventKit.Caching.Internal;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace EventKit.Caching;

/// <summary>
/// Health of the cache's Redis tier. The cache keeps working on L1 when Redis is away (fail-safe), so a lost
/// Redis is <see cref="HealthStatus.Degraded"/>, not unhealthy: check-ins go on, but cross-node invalidation
/// and claims wait for Redis. Healthy when there is no L2. <c>AddHybridCaching()</c> registers it as <c>redis</c>.
/// </summary>
public sealed class HybridCacheHealthCheck : IHealthCheck
{
    private readonly DefaultHybridCache _cache;

    internal HybridCacheHealthCheck(DefaultHybridCache cache) => _cache = cache;

    /// <inheritdoc/>
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        if (!_cache.HasL2)
        {
            return Task.FromResult(HealthCheckResult.Healthy("No Redis tier configured (L1 only)."));
        }

        var statistics = _cache.GetSnapshot();
        var data = new Dictionary<string, object> { ["l2_errors"] = statistics.L2Errors, ["circuit_open"] = statistics.IsCircuitOpen };
        if (!_cache.IsL2Connected)
        {
            return Task.FromResult(HealthCheckResult.Degraded("Redis is not connected; the cache runs on L1.", data: data));
        }

        return Task.FromResult(statistics.IsCircuitOpen
            ? HealthCheckResult.Degraded("The Redis circuit is open after errors or timeouts; the cache runs on L1 for now.", data: data)
            : HealthCheckResult.Healthy(data: data));
    }
}
