using EventKit.Internal;
using EventKit.Monitoring;
using EventKit.Storage;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using EventKit.Storage.Internal;
using EventKit.Storage.Internal.Writer;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Npgsql;

namespace EventKit;

/// <summary>Adds EventKit.Storage (PostgreSQL) to an EventKit host.</summary>
public static class StorageEventKitBuilderExtensions
{
    /// <summary>Adds PostgreSQL storage; the connection string must come from configuration bound to <see cref="PostgresStorageOptions"/>.</summary>
    /// <param name="builder">The EventKit builder.</param>
    /// <returns>The builder.</returns>
    public static IEventKitBuilder AddPostgresStorage(this IEventKitBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        return AddPostgresStorageCore(builder);
    }

    /// <summary>Adds PostgreSQL storage.</summary>
    /// <param name="builder">The EventKit builder.</param>
    /// <param name="configure">Configures <see cref="PostgresStorageOptions"/>; validated when the host starts.</param>
    /// <returns>The builder.</returns>
    public static IEventKitBuilder AddPostgresStorage(this IEventKitBuilder builder, Action<PostgresStorageOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(configure);
        AddPostgresStorageCore(builder);
        builder.Services.Configure(configure);
        return builder;
    }

    /// <summary>Adds PostgreSQL storage, configuring options from other services (configuration, secrets, a host-built data source).</summary>
    /// <param name="builder">The EventKit builder.</param>
    /// <param name="configure">Configures <see cref="PostgresStorageOptions"/>; validated when the host starts.</param>
    /// <returns>The builder.</returns>
    public static IEventKitBuilder AddPostgresStorage(this IEventKitBuilder builder, Action<IServiceProvider, PostgresStorageOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(configure);
        AddPostgresStorageCore(builder);
        builder.Services.AddOptions<PostgresStorageOptions>().Configure<IServiceProvider>((options, provider) => configure(provider, options));
        return builder;
    }

    private static IEventKitBuilder AddPostgresStorageCore(IEventKitBuilder builder)
    {
        var services = builder.Services;
        if (!services.TryAddFeature<PostgresStorageOptions>())
        {
            return builder;
        }

        // Configuration first (section EventKit:Storage, then the connection string's usual names); the caller's delegate wins.
        services.BindFromConfiguration<PostgresStorageOptions>(static (configuration, options) =>
        {
            configuration.GetSection("EventKit:Storage").Bind(options);
            options.ConnectionString ??= configuration.FirstValue("ConnectionStrings:eventkit-postgres", "EVENTKIT_POSTGRES");
        });
        services.AddOptions<PostgresStorageOptions>()
            .PostConfigure<IServiceProvider>(static (options, provider) =>
            {
                // The application's own NpgsqlDataSource (AddNpgsqlDataSource, Aspire) when nothing else was given.
                if (options.DataSource is null && string.IsNullOrWhiteSpace(options.ConnectionString) && options.UseRegisteredDataSource)
                {
                    options.DataSource = provider.GetService<NpgsqlDataSource>();
                }
            })
            .ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<PostgresStorageOptions>, PostgresStorageOptionsValidator>());
        services.TryAddSingleton(TimeProvider.System);
        services.AddMetrics();

        services.TryAddSingleton<StorageDataSources>();
        services.TryAddSingleton<StorageTelemetry>();
        BleKeyProtection.Register(services);

        // /health/ready: PostgreSQL answers and the writer keeps up.
        services.AddHealthChecks().Add(new HealthCheckRegistration("postgresql", static sp => sp.GetRequiredService<PostgresStorageHealthCheck>(), HealthStatus.Unhealthy, ["ready"]));
        services.TryAddSingleton<PostgresParticipantStore>();
        // The stores are registered under EventKitServiceKeys.Store; the unkeyed services forward to them unless a decorator
        // (the cache's) took their place, before or after this verb.
        AddStore<IParticipantDirectory>(services, static sp => sp.GetRequiredService<PostgresParticipantStore>());
        AddStore<IParticipantRegistry>(services, static sp => sp.GetRequiredService<PostgresParticipantStore>());
        services.TryAddSingleton<IParticipantSearch>(static sp => sp.GetRequiredService<PostgresParticipantStore>());
        services.TryAddSingleton<IBleIdentityStore>(static sp => sp.GetRequiredService<PostgresParticipantStore>());
        services.TryAddSingleton<PostgresGateStore>();
        AddStore<IGateDirectory>(services, static sp => sp.GetRequiredService<PostgresGateStore>());
        AddStore<IGateRegistry>(services, static sp => sp.GetRequiredService<PostgresGateStore>());
        services.TryAddSingleton<IAttendanceReader, PostgresAttendanceReader>();
        services.TryAddSingleton<IGatewayRegistry, PostgresGatewayStore>();
        services.TryAddSingleton<IScannerRegistry, PostgresScannerStore>();
        services.TryAddSingleton<PostgresCatalog>();
        services.TryAddSingleton<IGateCatalog>(static sp => sp.GetRequiredService<PostgresCatalog>());
        services.TryAddSingleton<IGatewayCatalog>(static sp => sp.GetRequiredService<PostgresCatalog>());
        services.TryAddSingleton<PostgresEventStore>();
        AddStore<IEventDirectory>(services, static sp => sp.GetRequiredService<PostgresEventStore>());
        AddStore<IEventRegistry>(services, static sp => sp.GetRequiredService<PostgresEventStore>());
        services.TryAddSingleton<IParticipantExport, PostgresParticipantExport>();
        services.TryAddSingleton<IAuditLog, PostgresAuditLog>();
        services.TryAddSingleton<ICredentialHashMigration, PostgresCredentialHashMigration>();
        services.TryAddSingleton<GroupCommitAttendanceWriter>();
        services.TryAddSingleton<IAttendanceWriter>(static sp => sp.GetRequiredService<GroupCommitAttendanceWriter>());
        services.TryAddSingleton<PartitionMaintainer>();

        // Recovery actions for EventKit.Monitoring's rules (inert without it).
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IRecoveryAction, PartitionMaintenanceAction>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IRecoveryAction, ClearConnectionPoolAction>());
        services.TryAddSingleton(static sp => new QueryAnalyzer(sp.GetRequiredService<StorageDataSources>(), sp.GetRequiredService<IOptions<PostgresStorageOptions>>(), sp.GetRequiredService<TimeProvider>()));
        services.TryAddSingleton(static sp => new PostgresStorageHealthCheck(sp.GetRequiredService<StorageDataSources>(), sp.GetRequiredService<GroupCommitAttendanceWriter>()));

        // Start order: migrations first, then maintenance (creates partitions before the first write), ahead of every
        // other hosted service whatever the order of the verbs: cache warmers and gateway lookups need the schema. Then BLE
        // identity keys are sealed (and the configured key checked) before the BLE gates load them.
        services.Insert(0, ServiceDescriptor.Singleton<IHostedService, BleKeySealingHostedService>());
        services.Insert(0, ServiceDescriptor.Singleton<IHostedService, StorageMaintenanceHostedService>());
        services.Insert(0, ServiceDescriptor.Singleton<IHostedService, MigrationHostedService>());
        services.AddSingleton<IHostedService, WriterDrainHostedService>();
        return builder;
    }

    private static void AddStore<TService>(IServiceCollection services, Func<IServiceProvider, TService> store)
        where TService : class
    {
        services.TryAddKeyedSingleton<TService>(EventKitServiceKeys.Store, (provider, _) => store(provider));
        services.TryAddSingleton(static provider => provider.GetRequiredKeyedService<TService>(EventKitServiceKeys.Store));
    }
}