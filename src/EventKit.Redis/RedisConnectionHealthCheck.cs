using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;

namespace EventKit.Redis;

/// <summary>
/// Readiness of the Redis connection (registered as <c>redis</c>, tag <c>ready</c>, by <c>.AddRedis()</c>). Not
/// connected is <see cref="HealthStatus.Degraded"/> (check-ins go on, with per-node anti-passback) or, with
/// <see cref="RedisConnectionOptions.RequireConnection"/>, <see cref="HealthStatus.Unhealthy"/>.
/// </summary>
public sealed class RedisConnectionHealthCheck : IHealthCheck
{
    private readonly IRedisConnection _connection;
    private readonly bool _required;

    /// <summary>Creates the check.</summary>
    /// <param name="connection">The connection.</param>
    /// <param name="options">Its options.</param>
    public RedisConnectionHealthCheck(IRedisConnection connection, IOptions<RedisConnectionOptions> options)
    {
        ArgumentNullException.ThrowIfNull(connection);
        ArgumentNullException.ThrowIfNull(options);
        _connection = connection;
        _required = options.Value.RequireConnection;
    }

    /// <inheritdoc/>
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        if (!_connection.IsConfigured)
        {
            return Task.FromResult(_required
                ? HealthCheckResult.Unhealthy("EventKit:Redis:RequireConnection is set but no Redis is configured (ConnectionStrings:eventkit-redis, EVENTKIT_REDIS or .AddRedis(o => o.Configuration = …)).")
                : HealthCheckResult.Healthy("No Redis configured: claims and cache are per node."));
        }

        var data = new Dictionary<string, object>
        {
            ["endpoint"] = _connection.Endpoint,
            ["data_loss_count"] = _connection.DataLossCount,
        };
        if (_connection.LastDataLoss is { } lost)
        {
            data["last_data_loss"] = lost;
        }

        if (_connection.IsConnected)
        {
            return Task.FromResult(HealthCheckResult.Healthy($"Redis at {_connection.Endpoint} is connected.", data));
        }

        var reason = _connection.Multiplexer is null
            ? $"Redis at {_connection.Endpoint} has not been connected yet (the host has not started, or the first attempt is under way)."
            : $"Redis at {_connection.Endpoint} is not connected: anti-passback and request-id replays are per node until Redis answers.";
        return Task.FromResult(_required ? HealthCheckResult.Unhealthy(reason, data: data) : HealthCheckResult.Degraded(reason, data: data));
    }
}
