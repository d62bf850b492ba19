using EventKit.Internal;
using EventKit.Gates.Ble;
using EventKit.Gates.Ble.Internal;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using EventKit.Redis;

namespace EventKit;

/// <summary>Adds BLE gates to EventKit.</summary>
public static class BleEventKitBuilderExtensions
{
    /// <summary>Adds BLE gates with default options: the EID resolver, the presence engine, the report ingestor
    /// (<see cref="IBleReportIngestor"/>), identity provisioning and the housekeeping hosted service.</summary>
    /// <remarks>Needs an <see cref="ICheckInService"/> (the check-in pipeline) and, to load identities, an
    /// <see cref="IBleIdentityStore"/> (storage).</remarks>
    public static IEventKitBuilder AddBleGates(this IEventKitBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        return AddBleGatesCore(builder);
    }

    /// <summary>Adds BLE gates.</summary>
    /// <param name="builder">The EventKit builder.</param>
    /// <param name="configure">Configures <see cref="BleGateOptions"/>; validated when the host starts.</param>
    public static IEventKitBuilder AddBleGates(this IEventKitBuilder builder, Action<BleGateOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(configure);
        AddBleGatesCore(builder);
        builder.Services.Configure(configure);
        return builder;
    }

    /// <summary>Adds BLE gates, configuring options from other services (configuration, a gateway table).</summary>
    /// <param name="builder">The EventKit builder.</param>
    /// <param name="configure">Configures <see cref="BleGateOptions"/>; validated when the host starts.</param>
    public static IEventKitBuilder AddBleGates(this IEventKitBuilder builder, Action<IServiceProvider, BleGateOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(configure);
        AddBleGatesCore(builder);
        builder.Services.AddOptions<BleGateOptions>().Configure<IServiceProvider>((options, provider) => configure(provider, options));
        return builder;
    }

    private static IEventKitBuilder AddBleGatesCore(IEventKitBuilder builder)
    {
        var services = builder.Services;

        // ValidateOnStart and AddHostedService add a descriptor per call; the marker keeps a second call from adding any.
        if (!services.TryAddFeature<BleGateOptions>())
        {
            return builder;
        }

        services.BindFromConfiguration<BleGateOptions>(static (configuration, options) => configuration.GetSection("EventKit:Ble").Bind(options));
        services.AddOptions<BleGateOptions>().ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<BleGateOptions>, BleGateOptionsValidator>());
        services.TryAddSingleton(TimeProvider.System);
        services.AddMetrics();
        services.TryAddSingleton<BleMetrics>();
        services.TryAddSingleton(static sp => new EddystoneEidResolver(
            sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<IOptions<BleGateOptions>>().Value.EidWindowsEitherSide));
        services.TryAddSingleton<IBleGatewayDirectory, OptionsGatewayDirectory>();
        services.TryAddSingleton<IBleStaticBadgeDirectory, OptionsBadgeDirectory>();
        // Clone and nonce state is shared through Redis when .AddRedis() registered a connection (in any order of verbs).
        services.TryAddSingleton(static sp => new BleSharedState(
            sp.GetService<IRedisConnection>(),
            sp.GetRequiredService<IOptions<RedisConnectionOptions>>().Value.KeyPrefix,
            sp.GetRequiredService<IOptions<EventKitOptions>>().Value.EventId,
            sp.GetRequiredService<IOptions<BleGateOptions>>().Value,
            sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<BleMetrics>(),
            sp.GetService<ILogger<BleSharedState>>() ?? NullLogger<BleSharedState>.Instance));
        services.TryAddSingleton<BleReportIngestor>();
        services.TryAddSingleton<IBleReportIngestor>(static sp => sp.GetRequiredService<BleReportIngestor>());
        services.TryAddSingleton<BleIdentityProvisioner>();
        services.AddHostedService<BleHousekeepingService>();
        return builder;
    }
}
