using EventKit.Redis;
using Microsoft.Extensions.DependencyInjection;

namespace EventKit.Testing;

/// <summary>EventKit Redis connections built through the public registration, for tests that construct components by hand.</summary>
public static class TestRedisConnections
{
    /// <summary>Connects to <paramref name="configuration"/> the way a host does at start (a down server is not an error).</summary>
    /// <param name="configuration">The StackExchange.Redis configuration string.</param>
    /// <param name="time">The clock of the connection's data-loss timer; the system clock by default.</param>
    /// <param name="configure">Further options.</param>
    /// <returns>The connection; it lives as long as the test process (the tests' servers outlive it).</returns>
    public static IRedisConnection Connect(string configuration, TimeProvider? time = null, Action<RedisConnectionOptions>? configure = null)
    {
        var services = new ServiceCollection();
        if (time is not null)
        {
            services.AddSingleton(time);
        }

        services.AddEventKit().AddRedis(o =>
        {
            o.Configuration = configuration;
            configure?.Invoke(o);
        });
        var connection = services.BuildServiceProvider().GetRequiredService<IRedisConnection>();
        connection.ConnectAsync().GetAwaiter().GetResult();
        return connection;
    }
}
