namespace EventKit.Redis;

/// <summary>Options of the cross-node check-in claims over Redis (<c>.AddRedisCheckInClaims()</c>), section <c>EventKit:Claims</c>.</summary>
public sealed class RedisCheckInClaimsOptions
{
    /// <summary>The namespace of the claim keys, so that one Redis can serve several events.</summary>
    /// <remarks>
    /// Default <c>{eventkit}:claims:</c>. Every claim script also reads the connection's epoch key, so on a Redis Cluster
    /// this prefix must carry the same hash tag as <see cref="RedisConnectionOptions.KeyPrefix"/>: all claims then live in
    /// one slot, on the same primary as the epoch key that tells whether that primary lost them. Otherwise the claims
    /// refuse the Cluster (health check <c>claims</c> Unhealthy) and fall back to this node's claims and PostgreSQL.
    /// </remarks>
    public string KeyPrefix { get; set; } = "{eventkit}:claims:";

    /// <summary>How long one Redis call of the claims may take before this node decides on its own.</summary>
    /// <remarks>
    /// Default 1 second; between 10 ms and 10 seconds. Longer than a cache read's budget on purpose: a claim that
    /// falls back to this node weakens the cross-node guarantee.
    /// </remarks>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Consecutive failures after which the claims skip Redis for <see cref="CircuitBreakDuration"/>.</summary>
    /// <remarks>Default 3; between 1 and 1,000.</remarks>
    public int CircuitBreakerThreshold { get; set; } = 3;

    /// <summary>How long the claims skip Redis after <see cref="CircuitBreakerThreshold"/> consecutive failures.</summary>
    /// <remarks>Default 5 seconds; between 100 ms and 10 minutes.</remarks>
    public TimeSpan CircuitBreakDuration { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// Whether readiness (health check <c>claims</c>, tag <c>ready</c>) is Unhealthy, not Degraded, while the claims
    /// are not shared because Redis is not configured or not connected. Set it on multi-node deployments, where
    /// per-node anti-passback is not acceptable, so that the load balancer stops sending such a node traffic.
    /// </summary>
    /// <remarks>Default <see langword="false"/>.</remarks>
    public bool RequireSharedClaims { get; set; }
}
