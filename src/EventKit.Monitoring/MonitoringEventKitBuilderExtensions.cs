using EventKit.Monitoring;
using EventKit.Monitoring.Internal;
using EventKit.Internal;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace EventKit;

/// <summary>Adds EventKit.Monitoring to an EventKit builder.</summary>
public static class MonitoringEventKitBuilderExtensions
{
    /// <summary>Adds live metric windows, the built-in alert rules and the log sink, with default options.</summary>
    /// <param name="builder">The EventKit builder.</param>
    /// <returns>The builder.</returns>
    public static IEventKitBuilder AddMonitoring(this IEventKitBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        return AddMonitoringCore(builder);
    }

    /// <summary>Adds live metric windows, alert rules, sinks and recovery actions.</summary>
    /// <param name="builder">The EventKit builder.</param>
    /// <param name="configure">Configures <see cref="MonitoringOptions"/>; validated when the host starts.</param>
    /// <returns>The builder.</returns>
    public static IEventKitBuilder AddMonitoring(this IEventKitBuilder builder, Action<MonitoringOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(configure);
        AddMonitoringCore(builder);
        builder.Services.Configure(configure);
        return builder;
    }

    /// <summary>Adds live metric windows, alert rules, sinks and recovery actions, configuring options from other services (configuration, secrets).</summary>
    /// <param name="builder">The EventKit builder.</param>
    /// <param name="configure">Configures <see cref="MonitoringOptions"/>; validated when the host starts.</param>
    /// <returns>The builder.</returns>
    public static IEventKitBuilder AddMonitoring(this IEventKitBuilder builder, Action<IServiceProvider, MonitoringOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(configure);
        AddMonitoringCore(builder);
        builder.Services.AddOptions<MonitoringOptions>().Configure<IServiceProvider>((options, provider) => configure(provider, options));
        return builder;
    }

    private static IEventKitBuilder AddMonitoringCore(IEventKitBuilder builder)
    {
        var services = builder.Services;
        if (!services.TryAddFeature<MonitoringOptions>())
        {
            return builder;
        }

        services.BindFromConfiguration<MonitoringOptions>(static (configuration, options) => configuration.GetSection("EventKit:Monitoring").Bind(options));
        services.AddOptions<MonitoringOptions>().ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<MonitoringOptions>, MonitoringOptionsValidator>());
        services.TryAddSingleton(TimeProvider.System);
        services.AddMetrics();
        services.AddResourceMonitoring();
        services.TryAddSingleton<MetricsCollector>();
        services.TryAddSingleton<IMetricsMonitor>(static sp => sp.GetRequiredService<MetricsCollector>());
        services.TryAddSingleton<HealthProbe>();
        services.TryAddSingleton<AlertDispatcher>();
        services.TryAddSingleton<RecoveryRunner>();
        services.TryAddSingleton<AlertEngine>();
        services.TryAddSingleton<IAlertManager>(static sp => sp.GetRequiredService<AlertEngine>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IAlertSink, LogAlertSink>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IAlertSink, WebhookAlertSink>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IRecoveryAction, ScaleOutAction>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IRecoveryAction, ShedLoadAction>());
        services.TryAddSingleton<GracefulRestartAction>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IRecoveryAction, GracefulRestartAction>(static sp => sp.GetRequiredService<GracefulRestartAction>()));
        services.AddHealthChecks().Add(new HealthCheckRegistration("draining", static sp => sp.GetRequiredService<GracefulRestartAction>(), HealthStatus.Unhealthy, ["ready"]));
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IHostedService, MonitoringService>());

        // Suggestions: the runtime source here; EventKit.AspNetCore adds the query analyzer's.
        services.TryAddEnumerable(ServiceDescriptor.Singleton<ISuggestionSource, RuntimeSuggestionSource>());
        services.TryAddSingleton<SuggestionEngine>();
        services.TryAddSingleton<ISuggestionAdvisor>(static sp => sp.GetRequiredService<SuggestionEngine>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IRecoveryAction, AnalyzeQueriesAction>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IHostedService, SuggestionScheduler>());
        return builder;
    }
}
