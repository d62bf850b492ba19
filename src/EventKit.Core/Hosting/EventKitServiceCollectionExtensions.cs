using EventKit;
using EventKit.Internal;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers EventKit's core services.</summary>
public static class EventKitServiceCollectionExtensions
{
    /// <summary>Adds EventKit's core services with default options.</summary>
    /// <param name="services">The service collection.</param>
    /// <returns>A builder to add EventKit packages to.</returns>
    public static IEventKitBuilder AddEventKit(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        return AddEventKitCore(services);
    }

    /// <summary>Adds EventKit's core services.</summary>
    /// <param name="services">The service collection.</param>
    /// <param name="configure">Configures <see cref="EventKitOptions"/>; validated when the host starts.</param>
    /// <returns>A builder to add EventKit packages to.</returns>
    public static IEventKitBuilder AddEventKit(this IServiceCollection services, Action<EventKitOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configure);
        var builder = AddEventKitCore(services);
        services.Configure(configure);
        return builder;
    }

    /// <summary>Adds EventKit's core services, configuring options from other services (configuration, secrets).</summary>
    /// <param name="services">The service collection.</param>
    /// <param name="configure">Configures <see cref="EventKitOptions"/>; validated when the host starts.</param>
    /// <returns>A builder to add EventKit packages to.</returns>
    public static IEventKitBuilder AddEventKit(this IServiceCollection services, Action<IServiceProvider, EventKitOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configure);
        var builder = AddEventKitCore(services);
        services.AddOptions<EventKitOptions>().Configure<IServiceProvider>((options, provider) => configure(provider, options));
        return builder;
    }

    private static EventKitBuilder AddEventKitCore(IServiceCollection services)
    {
        // ValidateOnStart and AddMetrics add a descriptor per call; the marker keeps a second AddEventKit() from adding anything.
        if (!services.TryAddFeature<EventKitOptions>())
        {
            return new EventKitBuilder(services);
        }

        // Configuration first (section EventKit), then the caller's delegate, which wins.
        services.BindFromConfiguration<EventKitOptions>(static (configuration, options) =>
        {
            configuration.GetSection(EventKitOptions.SectionName).Bind(options);
            options.Security.CredentialPepper ??= configuration.FirstValue("EVENTKIT_CREDENTIAL_PEPPER");
        });
        services.AddOptions<EventKitOptions>().ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<EventKitOptions>, EventKitOptionsValidator>());
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<CheckInCounters>();
        services.TryAddSingleton<CredentialHasher>();
        services.TryAddSingleton<OutdatedCredentialUpgrader>();
        services.TryAddSingleton<ICheckInClaims>(static provider =>
        {
            var options = provider.GetRequiredService<IOptions<EventKitOptions>>().Value;
            return new InMemoryCheckInClaims(provider.GetRequiredService<TimeProvider>(), options.ClaimsCapacity, options.ReEntryWindow, provider.GetService<System.Diagnostics.Metrics.IMeterFactory>());
        });
        services.TryAddSingleton<EventSettingsSource>();
        services.TryAddSingleton<IEventSettingsProvider>(static provider => provider.GetRequiredService<EventSettingsSource>());
        services.TryAddSingleton<ICheckInService, CheckInService>();
        services.AddMetrics();
        return new EventKitBuilder(services);
    }
}
