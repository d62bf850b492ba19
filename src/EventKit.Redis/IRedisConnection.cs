using StackExchange.Redis;

namespace EventKit.Redis;

/// <summary>
/// EventKit's one Redis connection. It connects when the host starts (never in a constructor), keeps reconnecting in
/// the background, and raises <see cref="StateChanged"/> when it connects, fails, comes back, or finds that Redis has
/// lost its data. Resolve it from DI after <c>.AddRedis()</c>.
/// </summary>
public interface IRedisConnection
{
    /// <summary>Whether a Redis is configured at all (a configuration string, a connection, or a registered multiplexer).</summary>
    bool IsConfigured { get; }

    /// <summary>Whether the multiplexer exists and is connected right now.</summary>
    bool IsConnected { get; }

    /// <summary>The endpoints, for logs and health (<c>127.0.0.1:6379</c>); never a password.</summary>
    string Endpoint { get; }

    /// <summary>The multiplexer once the first connection attempt has been made; <see langword="null"/> before it or when nothing is configured.</summary>
    IConnectionMultiplexer? Multiplexer { get; }

    /// <summary>
    /// The key of the epoch, <c>{KeyPrefix}epoch</c>: a random value and its creation time (<c>id|unix-ms</c>) written
    /// once into an empty Redis. Scripts read it to tell a Redis that lost its data (no epoch) or is new (a young epoch).
    /// </summary>
    string EpochKey { get; }

    /// <summary>How many times Redis was found to have lost EventKit's data (restart without persistence, failover to a stale replica, FLUSHALL).</summary>
    long DataLossCount { get; }

    /// <summary>When Redis was last found to have lost its data; <see langword="null"/> if never.</summary>
    DateTimeOffset? LastDataLoss { get; }

    /// <summary>Raised when the connection changes state. Handlers run on a pool thread and must not block.</summary>
    event EventHandler<RedisConnectionStateChangedEventArgs>? StateChanged;

    /// <summary>
    /// Makes the first connection attempt (once; later calls return the same task). Completes with the multiplexer
    /// when the attempt ends, connected or not, or with <see langword="null"/> when no Redis is configured.
    /// </summary>
    /// <param name="cancellationToken">Stops waiting (the attempt itself goes on).</param>
    /// <returns>The multiplexer, or <see langword="null"/>.</returns>
    Task<IConnectionMultiplexer?> ConnectAsync(CancellationToken cancellationToken = default);

    /// <summary>The database, when the multiplexer exists (it may still be disconnected); otherwise <see langword="false"/>.</summary>
    /// <param name="database">The database.</param>
    /// <returns>Whether there is one.</returns>
    bool TryGetDatabase(out IDatabase database);
}
