using EventKit.Internal;
using EventKit.Redis;
using EventKit.Scaling;
using EventKit.Scaling.Internal;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace EventKit;

/// <summary>Adds EventKit.Scaling (node registry, leader lease, gate ownership, autoscaling recommender) to an EventKit builder.</summary>
public static class ScalingEventKitBuilderExtensions
{
    /// <summary>
    /// Registers the node registry, leases and leader election, gate ownership and the autoscaling recommender over
    /// EventKit's Redis connection (adds <c>.AddRedis()</c> if it is not there). Options from section
    /// <c>EventKit:Scaling</c>.
    /// </summary>
    /// <param name="builder">The EventKit builder.</param>
    /// <returns>The builder.</returns>
    public static IEventKitBuilder AddScaling(this IEventKitBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        return AddScalingCore(builder);
    }

    /// <summary>Registers EventKit.Scaling with options (section <c>EventKit:Scaling</c>, then <paramref name="configure"/>, which wins).</summary>
    /// <param name="builder">The EventKit builder.</param>
    /// <param name="configure">Configures <see cref="ScalingOptions"/>; validated when the host starts.</param>
    /// <returns>The builder.</returns>
    public static IEventKitBuilder AddScaling(this IEventKitBuilder builder, Action<ScalingOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(configure);
        AddScalingCore(builder);
        builder.Services.Configure(configure);
        return builder;
    }

    /// <summary>
    /// Turns on the gate-owned fast path (off by default): this node decides anti-passback and request-id replays for the
    /// gates it owns in memory, without a Redis round trip, while it holds each gate's lease (<see cref="IGateLeases"/>);
    /// the HTTP API passes check-ins for other gates to their owner, or answers 503 with Retry-After while ownership moves.
    /// After taking a gate, PostgreSQL decides its admissions for one re-entry window. Replaces the registered
    /// <see cref="ICheckInClaims"/>: call it after <c>.AddRedisCheckInClaims()</c>. Adds <c>.AddScaling()</c>.
    /// </summary>
    /// <param name="builder">The EventKit builder.</param>
    /// <returns>The builder.</returns>
    public static IEventKitBuilder AddGateOwnedCheckInClaims(this IEventKitBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        AddScalingCore(builder);
        var services = builder.Services;
        if (!services.TryAddFeature<GateLeaseManager>())
        {
            return builder;
        }

        services.TryAddSingleton(static provider => new GateLeaseManager(
            provider.GetRequiredService<ILeaseProvider>(),
            provider.GetRequiredService<IGateOwnership>(),
            provider.GetRequiredService<RedisNodeRegistry>().LocalNodeId,
            provider.GetRequiredService<IOptions<ScalingOptions>>().Value,
            provider.GetRequiredService<TimeProvider>(),
            Logger(provider, "EventKit.Scaling.GateLeases")));
        services.TryAddSingleton<IGateLeases>(static provider => provider.GetRequiredService<GateLeaseManager>());
        services.RemoveAll<ICheckInClaims>();
        services.AddSingleton<ICheckInClaims>(static provider =>
        {
            var eventKit = provider.GetRequiredService<IOptions<EventKitOptions>>().Value;
            var time = provider.GetRequiredService<TimeProvider>();
            return new GateOwnedCheckInClaims(
                CheckInClaims.CreateInMemory(time, eventKit.ClaimsCapacity, eventKit.ReEntryWindow),
                provider.GetRequiredService<GateLeaseManager>(),
                eventKit.ReEntryWindow,
                time);
        });
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IHostedService, GateLeaseService>());
        return builder;
    }

    private static IEventKitBuilder AddScalingCore(IEventKitBuilder builder)
    {
        builder.AddRedis();
        var services = builder.Services;
        if (!services.TryAddFeature<ScalingOptions>())
        {
            return builder;
        }

        services.BindFromConfiguration<ScalingOptions>(static (configuration, options) => configuration.GetSection("EventKit:Scaling").Bind(options));
        services.AddOptions<ScalingOptions>().ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<ScalingOptions>, ScalingOptionsValidator>());
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<INodeLoadSource>(static provider => new ProcessNodeLoadSource(provider.GetRequiredService<TimeProvider>(), provider.GetService<IRequestLoadProvider>()));

        services.TryAddSingleton(static provider =>
        {
            var options = provider.GetRequiredService<IOptions<ScalingOptions>>().Value;
            var id = options.NodeId ?? $"{Environment.MachineName.ToLowerInvariant()}-{Guid.NewGuid().ToString("N")[..8]}";
            return new RedisNodeRegistry(
                provider.GetRequiredService<IRedisConnection>(),
                options,
                id,
                provider.GetRequiredService<INodeLoadSource>(),
                provider.GetRequiredService<TimeProvider>(),
                Logger(provider, "EventKit.Scaling.Registry"));
        });
        services.TryAddSingleton<INodeRegistry>(static provider => provider.GetRequiredService<RedisNodeRegistry>());
        services.TryAddSingleton<IGateOwnership>(static provider => provider.GetRequiredService<RedisNodeRegistry>());
        services.TryAddSingleton(static provider => new RedisLeases(
            provider.GetRequiredService<IRedisConnection>(),
            provider.GetRequiredService<IOptions<ScalingOptions>>().Value,
            provider.GetRequiredService<RedisNodeRegistry>().LocalNodeId,
            provider.GetRequiredService<TimeProvider>(),
            Logger(provider, "EventKit.Scaling.Leases")));
        services.TryAddSingleton<ILeaseProvider>(static provider => provider.GetRequiredService<RedisLeases>());
        services.TryAddSingleton<IFencingGuard>(static provider => provider.GetRequiredService<RedisLeases>());
        services.TryAddSingleton(static provider => new LeaderElector(
            provider.GetRequiredService<ILeaseProvider>(),
            provider.GetRequiredService<IOptions<ScalingOptions>>().Value,
            provider.GetRequiredService<RedisNodeRegistry>().LocalNodeId,
            provider.GetRequiredService<TimeProvider>(),
            Logger(provider, "EventKit.Scaling.Leader")));
        services.TryAddSingleton<ILeaderElection>(static provider => provider.GetRequiredService<LeaderElector>());
        services.TryAddSingleton(static provider => new ScalingRecommender(
            provider.GetRequiredService<INodeRegistry>(),
            provider.GetRequiredService<LeaderElector>(),
            provider.GetRequiredService<IRedisConnection>(),
            provider.GetRequiredService<IOptions<ScalingOptions>>().Value,
            provider.GetService<IScaleExecutor>(),
            provider.GetRequiredService<TimeProvider>(),
            Logger(provider, "EventKit.Scaling.Recommender")));
        services.TryAddSingleton<IScalingRecommender>(static provider => provider.GetRequiredService<ScalingRecommender>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IHostedService, ScalingService>());
        services.AddHealthChecks().Add(new HealthCheckRegistration(
            "scaling",
            static provider => new ScalingHealthCheck(provider.GetRequiredService<INodeRegistry>(), provider.GetRequiredService<ILeaderElection>()),
            HealthStatus.Degraded,
            ["ready"]));
        return builder;
    }

    private static ILogger Logger(IServiceProvider provider, string category) =>
        provider.GetService<ILoggerFactory>()?.CreateLogger(category) ?? NullLogger.Instance;
}
