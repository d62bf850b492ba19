using EventKit.Internal;
using EventKit.Redis;
using EventKit.Redis.Internal;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace EventKit;

/// <summary>Adds EventKit's Redis connection and the Redis check-in claims to an EventKit builder.</summary>
public static class RedisEventKitBuilderExtensions
{
    /// <summary>
    /// Registers the one Redis connection every EventKit package shares. Configuration, first match wins: the delegate of
    /// another overload; an <see cref="IConnectionMultiplexer"/> the application registered; section <c>EventKit:Redis</c>;
    /// <c>ConnectionStrings:eventkit-redis</c>; <c>EVENTKIT_REDIS</c>.
    /// </summary>
    /// <param name="builder">The EventKit builder.</param>
    /// <returns>The builder.</returns>
    public static IEventKitBuilder AddRedis(this IEventKitBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        return AddRedisCore(builder);
    }

    /// <summary>Registers the one Redis connection every EventKit package shares, configured by <paramref name="configure"/> (which wins over configuration).</summary>
    /// <param name="builder">The EventKit builder.</param>
    /// <param name="configure">Configures <see cref="RedisConnectionOptions"/>; validated when the host starts.</param>
    /// <returns>The builder.</returns>
    public static IEventKitBuilder AddRedis(this IEventKitBuilder builder, Action<RedisConnectionOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(configure);
        AddRedisCore(builder);
        builder.Services.Configure(configure);
        return builder;
    }

    /// <summary>Registers the one Redis connection, configured from other services (for example an existing multiplexer under a key).</summary>
    /// <param name="builder">The EventKit builder.</param>
    /// <param name="configure">Configures <see cref="RedisConnectionOptions"/>; validated when the host starts.</param>
    /// <returns>The builder.</returns>
    public static IEventKitBuilder AddRedis(this IEventKitBuilder builder, Action<IServiceProvider, RedisConnectionOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(configure);
        AddRedisCore(builder);
        builder.Services.AddOptions<RedisConnectionOptions>().Configure<IServiceProvider>((options, provider) => configure(provider, options));
        return builder;
    }

    /// <summary>
    /// Makes the check-in claims (anti-passback and request-id replays) shared by every node through Redis, falling back
    /// to this node's own claims while Redis cannot answer. Adds <see cref="AddRedis(IEventKitBuilder)"/> if it is not there.
    /// Independent of the cache: a host without <c>.AddHybridCaching()</c> gets cross-node claims all the same.
    /// </summary>
    /// <param name="builder">The EventKit builder.</param>
    /// <returns>The builder.</returns>
    public static IEventKitBuilder AddRedisCheckInClaims(this IEventKitBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        return AddRedisCheckInClaimsCore(builder);
    }

    /// <summary>Makes the check-in claims shared through Redis, with options (section <c>EventKit:Claims</c>, then <paramref name="configure"/>).</summary>
    /// <param name="builder">The EventKit builder.</param>
    /// <param name="configure">Configures <see cref="RedisCheckInClaimsOptions"/>; validated when the host starts.</param>
    /// <returns>The builder.</returns>
    public static IEventKitBuilder AddRedisCheckInClaims(this IEventKitBuilder builder, Action<RedisCheckInClaimsOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(configure);
        AddRedisCheckInClaimsCore(builder);
        builder.Services.Configure(configure);
        return builder;
    }

    private static IEventKitBuilder AddRedisCore(IEventKitBuilder builder)
    {
        var services = builder.Services;
        if (!services.TryAddFeature<RedisConnectionOptions>())
        {
            return builder;
        }

        services.BindFromConfiguration<RedisConnectionOptions>(static (configuration, options) =>
        {
            configuration.GetSection("EventKit:Redis").Bind(options);
            options.Configuration ??= configuration.FirstValue("ConnectionStrings:eventkit-redis", "EVENTKIT_REDIS");
        });
        services.AddOptions<RedisConnectionOptions>().ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<RedisConnectionOptions>, RedisConnectionOptionsValidator>());
        services.TryAddSingleton(TimeProvider.System);
        services.AddMetrics();
        services.TryAddSingleton(static provider => new RedisConnection(
            provider.GetRequiredService<IOptions<RedisConnectionOptions>>(),
            provider.GetRequiredService<TimeProvider>(),
            provider.GetRequiredService<System.Diagnostics.Metrics.IMeterFactory>(),
            provider.GetService<ILogger<RedisConnection>>() ?? NullLogger<RedisConnection>.Instance,
            provider.GetService<IConnectionMultiplexer>()));
        services.TryAddSingleton<IRedisConnection>(static provider => provider.GetRequiredService<RedisConnection>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IHostedService, RedisConnectionStarter>());
        services.AddHealthChecks().Add(new HealthCheckRegistration(
            "redis",
            static provider => new RedisConnectionHealthCheck(provider.GetRequiredService<IRedisConnection>(), provider.GetRequiredService<IOptions<RedisConnectionOptions>>()),
            HealthStatus.Degraded,
            ["ready"]));
        return builder;
    }

    private static IEventKitBuilder AddRedisCheckInClaimsCore(IEventKitBuilder builder)
    {
        AddRedisCore(builder);
        var services = builder.Services;
        if (!services.TryAddFeature<RedisCheckInClaimsOptions>())
        {
            return builder;
        }

        services.BindFromConfiguration<RedisCheckInClaimsOptions>(static (configuration, options) => configuration.GetSection("EventKit:Claims").Bind(options));
        services.AddOptions<RedisCheckInClaimsOptions>().ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<RedisCheckInClaimsOptions>, RedisCheckInClaimsOptionsValidator>());

        // An explicit choice of the host: it replaces Core's per-node claims whatever the order of the verbs.
        services.RemoveAll<ICheckInClaims>();
        services.AddSingleton<ICheckInClaims>(static provider =>
        {
            var time = provider.GetRequiredService<TimeProvider>();
            var logger = provider.GetService<ILoggerFactory>()?.CreateLogger("EventKit.Redis.CheckInClaims") ?? NullLogger.Instance;
            var eventKit = provider.GetRequiredService<IOptions<EventKitOptions>>().Value;
            return new RedisCheckInClaims(
                provider.GetRequiredService<IRedisConnection>(),
                CheckInClaims.CreateInMemory(time, eventKit.ClaimsCapacity),
                provider.GetRequiredService<IOptions<RedisCheckInClaimsOptions>>().Value,
                eventKit.ReEntryWindow,
                time,
                logger,
                provider.GetService<IAttendanceReader>());
        });
        services.AddHealthChecks().Add(new HealthCheckRegistration(
            "claims",
            static provider => new SharedClaimsHealthCheck(provider.GetRequiredService<IRedisConnection>(), provider.GetRequiredService<IOptions<RedisCheckInClaimsOptions>>().Value.RequireSharedClaims, provider.GetRequiredService<IOptions<RedisCheckInClaimsOptions>>().Value.KeyPrefix),
            HealthStatus.Degraded,
            ["ready"]));
        return builder;
    }
}
