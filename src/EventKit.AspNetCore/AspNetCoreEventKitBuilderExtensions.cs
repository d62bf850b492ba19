using EventKit.Internal;
using EventKit.AspNetCore;
using EventKit.AspNetCore.Internal;
using EventKit.Gates.Ble;
using EventKit.Monitoring;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace EventKit;

/// <summary>Adds EventKit's HTTP API services.</summary>
public static class AspNetCoreEventKitBuilderExtensions
{
    /// <summary>Adds the services behind <c>app.MapEventKitApi()</c> with default options.</summary>
    public static IEventKitBuilder AddHttpApi(this IEventKitBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        return AddHttpApiCore(builder);
    }

    /// <summary>Adds the services behind <c>app.MapEventKitApi()</c>.</summary>
    /// <param name="builder">The EventKit builder.</param>
    /// <param name="configure">Configures <see cref="EventKitApiOptions"/>; validated when the host starts.</param>
    public static IEventKitBuilder AddHttpApi(this IEventKitBuilder builder, Action<EventKitApiOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(configure);
        AddHttpApiCore(builder);
        builder.Services.Configure(configure);
        return builder;
    }

    /// <summary>Adds the services behind <c>app.MapEventKitApi()</c>, configuring options from other services.</summary>
    public static IEventKitBuilder AddHttpApi(this IEventKitBuilder builder, Action<IServiceProvider, EventKitApiOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(configure);
        AddHttpApiCore(builder);
        builder.Services.AddOptions<EventKitApiOptions>().Configure<IServiceProvider>((options, provider) => configure(provider, options));
        return builder;
    }

    private static IEventKitBuilder AddHttpApiCore(IEventKitBuilder builder)
    {
        var services = builder.Services;
        if (!services.TryAddFeature<EventKitApiOptions>())
        {
            return builder;
        }

        services.BindFromConfiguration<EventKitApiOptions>(static (configuration, options) =>
        {
            configuration.GetSection("EventKit:Api").Bind(options);
            options.AdminKey ??= configuration.FirstValue("EVENTKIT_ADMIN_KEY");
        });
        services.AddOptions<EventKitApiOptions>().ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<EventKitApiOptions>, EventKitApiOptionsValidator>());
        services.TryAddSingleton<AdminKeyFilter>();
        services.TryAddSingleton<OutageFilter>();
        services.TryAddSingleton<GateRateLimiter>();
        services.TryAddSingleton<CheckInAdmission>();
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<ReportAdmission>();
        services.TryAddSingleton<GateOwnerForwarder>();
        services.TryAddSingleton<RegisteredGateways>();
        services.TryAddSingleton<ScannerAuthenticator>();
        services.TryAddSingleton<AuthenticationFailures>();
        services.TryAddSingleton<AuditTrail>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IOptionsChangeTokenSource<EventKitApiOptions>, ApiOptionsChangeTokenSource>());
        services.TryAddSingleton<RequestLoadTracker>();
        services.TryAddSingleton<EventKit.Scaling.IRequestLoadProvider>(static provider => provider.GetRequiredService<RequestLoadTracker>());

        // With EventKit.Monitoring: the query analyzer's advice becomes suggestions (finds nothing without EventKit.Storage).
        services.TryAddEnumerable(ServiceDescriptor.Singleton<ISuggestionSource, QueryAnalyzerSuggestionSource>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<EventKit.Caching.ICacheWarmer, StatsCacheWarmer>());
        services.AddMetrics();

        // Gateways authenticate against the gateway registry; the BLE engine asks the same entries for their gate.
        services.Replace(ServiceDescriptor.Singleton<IBleGatewayDirectory>(static provider => provider.GetRequiredService<RegisteredGateways>()));
        services.AddHealthChecks();
        services.AddProblemDetails();
        services.ConfigureHttpJsonOptions(o => o.SerializerOptions.TypeInfoResolverChain.Insert(0, ApiJsonContext.Default));
        return builder;
    }
}
