using StackExchange.Redis;

namespace EventKit.Redis;

/// <summary>
/// Options of EventKit's one Redis connection, shared by the cache, the check-in claims and (when added) monitoring and
/// scaling. Which connection is used, first match wins: <see cref="UseConnection"/>; <see cref="Configuration"/>; an
/// <see cref="IConnectionMultiplexer"/> registered by the application; <c>ConnectionStrings:eventkit-redis</c>,
/// <c>EventKit:Redis:Configuration</c> or <c>EVENTKIT_REDIS</c> from <c>IConfiguration</c>. Without any of them
/// EventKit runs without Redis (each feature says what that means for it).
/// </summary>
public sealed class RedisConnectionOptions
{
    /// <summary>
    /// A StackExchange.Redis configuration string: <c>host:port,password=…,ssl=true</c> for one Redis; every primary
    /// (or a few) of a Redis Cluster, <c>10.0.0.1:6379,10.0.0.2:6379,10.0.0.3:6379</c>, the rest is discovered; or the
    /// sentinels and the monitored service, <c>10.0.0.1:26379,10.0.0.2:26379,serviceName=mymaster</c>, which follows the
    /// primary across failovers.
    /// </summary>
    /// <remarks>Default <see langword="null"/>. EventKit creates, owns and disposes the multiplexer it builds from it.</remarks>
    public string? Configuration { get; set; }

    // A field, not a property: configuration binding must never try to build a multiplexer.
    private IConnectionMultiplexer? _connection;

    /// <summary>Uses an existing connection of the application as it is (wins over <see cref="Configuration"/>).</summary>
    /// <param name="connection">The multiplexer. EventKit never closes or disposes a connection it did not create.</param>
    /// <returns>These options.</returns>
    public RedisConnectionOptions UseConnection(IConnectionMultiplexer connection)
    {
        ArgumentNullException.ThrowIfNull(connection);
        _connection = connection;
        return this;
    }

    /// <summary>The application's own connection given to <see cref="UseConnection"/>, if any.</summary>
    /// <returns>The connection or <see langword="null"/>.</returns>
    internal IConnectionMultiplexer? GetConnection() => _connection;

    /// <summary>Whether an <see cref="IConnectionMultiplexer"/> registered in the service collection is used when neither <see cref="UseConnection"/> nor <see cref="Configuration"/> is set.</summary>
    /// <remarks>Default <see langword="true"/>: one Redis connection per application.</remarks>
    public bool UseRegisteredConnection { get; set; } = true;

    /// <summary>The namespace of EventKit's own bookkeeping keys on this Redis (the epoch key that detects data loss).</summary>
    /// <remarks>
    /// Default <c>{eventkit}:</c>. Use one prefix per event when several events share a Redis. The braces are a Redis
    /// Cluster hash tag: the check-in claims' scripts read the epoch key together with their own keys, so on a Cluster
    /// <see cref="RedisCheckInClaimsOptions.KeyPrefix"/> must carry the same tag (<c>{event42}:</c> and
    /// <c>{event42}:claims:</c>). On a single Redis or with Sentinel the braces mean nothing.
    /// </remarks>
    public string KeyPrefix { get; set; } = "{eventkit}:";

    /// <summary>How long the first connection attempt at start may take; the multiplexer keeps retrying in the background after it.</summary>
    /// <remarks>Default 2 seconds; between 100 ms and 1 minute. Applies only to connections EventKit creates.</remarks>
    public TimeSpan ConnectTimeout { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>How often the connection checks that Redis still holds its data (the epoch key), besides every reconnect.</summary>
    /// <remarks>Default 1 second; between 100 ms and 1 minute. A restarted, empty Redis is found within this interval even if no connection error was seen.</remarks>
    public TimeSpan DataLossCheckInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Whether readiness reports Unhealthy (instead of Degraded) while Redis is not connected.</summary>
    /// <remarks>
    /// Default <see langword="false"/>. Set it for multi-node deployments, where per-node anti-passback during a Redis
    /// outage is not acceptable: the balancer then stops sending to a node that cannot reach Redis.
    /// </remarks>
    public bool RequireConnection { get; set; }
}
