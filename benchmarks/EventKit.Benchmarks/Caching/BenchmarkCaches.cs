using System.Diagnostics.Metrics;
using EventKit.Caching;
using EventKit.Caching.Internal;
using EventKit.Redis;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace EventKit.Benchmarks.Caching;

/// <summary>Builds cache instances for the caching suites (Redis from EVENTKIT_REDIS, as the tests use it).</summary>
internal static class BenchmarkCaches
{
    private static readonly IMeterFactory Meters = new ServiceCollection().AddMetrics().BuildServiceProvider().GetRequiredService<IMeterFactory>();

    public static string Redis => Environment.GetEnvironmentVariable("EVENTKIT_REDIS") is { Length: > 0 } value ? value : "127.0.0.1:56379";

    public static DefaultHybridCache Create(Action<HybridCachingOptions> configure, bool redis = false)
    {
        var options = new HybridCachingOptions();
        configure(options);
        return new DefaultHybridCache(Options.Create(options), TimeProvider.System, Meters, NullLogger<DefaultHybridCache>.Instance, redis: redis ? Connect() : null);
    }

    /// <summary>EventKit's Redis connection to <see cref="Redis"/>, made the way a host makes it.</summary>
    public static IRedisConnection Connect()
    {
        var services = new ServiceCollection();
        services.AddEventKit().AddRedis(o => o.Configuration = Redis);
        var connection = services.BuildServiceProvider().GetRequiredService<IRedisConnection>();
        connection.ConnectAsync().GetAwaiter().GetResult();
        return connection;
    }

    public static Participant Participant(long id) => new(id, 1, $"Attendee {id}", $"attendee{id}@example.org", ParticipantStatus.Active, $"T-{id}");
}
