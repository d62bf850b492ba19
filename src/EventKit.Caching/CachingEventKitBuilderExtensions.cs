using Microsoft.Extensions.Diagnostics.HealthChecks;
using EventKit.Caching;
using EventKit.Caching.Internal;
using Microsoft.Extensions.Caching.Hybrid;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace EventKit;

/// <summary>Adds EventKit.Caching to an EventKit builder.</summary>
public static class CachingEventKitBuilderExtensions
{
    /// <summary>Registers EventKit's <see cref="HybridCache"/> (L1 only unless <see cref="HybridCachingOptions.RedisConfiguration"/> is set).</summary>
    /// <param name="builder">The EventKit builder.</param>
    /// <returns>The builder.</returns>
    public static IEventKitBuilder AddHybridCaching(this IEventKitBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        return AddHybridCachingCore(builder);
    }

    /// <summary>Registers EventKit's <see cref="HybridCache"/>; inject the standard abstract <see cref="HybridCache"/> to use it.</summary>
    /// <param name="builder">The EventKit builder.</param>
    /// <param name="configure">Configures <see cref="HybridCachingOptions"/>; validated when the host starts.</param>
    /// <returns>The builder.</returns>
    public static IEventKitBuilder AddHybridCaching(this IEventKitBuilder builder, Action<HybridCachingOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(configure);
        AddHybridCachingCore(builder);
        builder.Services.Configure(configure);
        return builder;
    }

    /// <summary>Registers EventKit's <see cref="HybridCache"/>, configuring options from other services (configuration, secrets).</summary>
    /// <param name="builder">The EventKit builder.</param>
    /// <param name="configure">Configures <see cref="HybridCachingOptions"/>; validated when the host starts.</param>
    /// <returns>The builder.</returns>
    public static IEventKitBuilder AddHybridCaching(this IEventKitBuilder builder, Action<IServiceProvider, HybridCachingOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(configure);
        AddHybridCachingCore(builder);
        builder.Services.AddOptions<HybridCachingOptions>().Configure<IServiceProvider>((options, provider) => configure(provider, options));
        return builder;
    }

    /// <summary>
    /// Decorates the <see cref="IParticipantDirectory"/>, <see cref="IGateDirectory"/>, <see cref="IParticipantRegistry"/>
    /// and <see cref="IGateRegistry"/> registered so far (for example by <c>.AddPostgresStorage()</c>) with cached versions:
    /// reads go through the cache, writes invalidate the cached copies on every node. Call it after the storage verb.
    /// </summary>
    /// <param name="builder">The EventKit builder (with <c>.AddHybridCaching()</c>).</param>
    /// <returns>The builder.</returns>
    /// <exception cref="InvalidOperationException">No <see cref="IParticipantDirectory"/> or <see cref="IGateDirectory"/> is registered yet.</exception>
    public static IEventKitBuilder AddCachedDirectories(this IEventKitBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var services = builder.Services;
        AddHybridCachingCore(builder);
        if (services.Any(static d => d.ServiceType == typeof(CachedDirectoriesMarker)))
        {
            return builder;
        }

        var decorated = Decorate<IParticipantDirectory>(services, static (inner, provider) => new CachedParticipantDirectory(inner, Cache(provider), Options(provider)))
            | Decorate<IGateDirectory>(services, static (inner, provider) => new CachedGateDirectory(inner, Cache(provider), Options(provider)));
        if (!decorated)
        {
            throw new InvalidOperationException("AddCachedDirectories() found no IParticipantDirectory or IGateDirectory to decorate; call it after the storage verb (for example .AddPostgresStorage()).");
        }

        Decorate<IParticipantRegistry>(services, static (inner, provider) => new CachedParticipantRegistry(inner, Cache(provider), Options(provider)));
        Decorate<IGateRegistry>(services, static (inner, provider) => new CachedGateRegistry(inner, Cache(provider)));
        services.TryAddEnumerable(ServiceDescriptor.Singleton<ICacheWarmer, ParticipantCacheWarmer>());
        services.AddSingleton<CachedDirectoriesMarker>();
        return builder;
    }

    /// <summary>Registers a cache warmer, run when the host starts (and on <see cref="HybridCachingOptions.WarmingInterval"/> if set).</summary>
    /// <typeparam name="TWarmer">The warmer; resolved as a singleton.</typeparam>
    /// <param name="builder">The EventKit builder.</param>
    /// <returns>The builder.</returns>
    public static IEventKitBuilder AddCacheWarmer<TWarmer>(this IEventKitBuilder builder)
        where TWarmer : class, ICacheWarmer
    {
        ArgumentNullException.ThrowIfNull(builder);
        AddHybridCachingCore(builder);
        builder.Services.TryAddEnumerable(ServiceDescriptor.Singleton<ICacheWarmer, TWarmer>());
        return builder;
    }

    /// <summary>Preloads a named critical key (for example <c>event_config</c>) at start and on every warming run, with the lifetimes of <paramref name="kind"/>.</summary>
    /// <typeparam name="T">The value type.</typeparam>
    /// <param name="builder">The EventKit builder.</param>
    /// <param name="key">The cache key.</param>
    /// <param name="kind">The kind whose <see cref="CachePolicy"/> applies.</param>
    /// <param name="load">Loads the value.</param>
    /// <returns>The builder.</returns>
    public static IEventKitBuilder PreloadCacheKey<T>(this IEventKitBuilder builder, string key, CacheKind kind, Func<IServiceProvider, CancellationToken, ValueTask<T>> load)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrEmpty(key);
        ArgumentNullException.ThrowIfNull(load);
        AddHybridCachingCore(builder);
        builder.Services.AddSingleton<ICacheWarmer>(provider => new PreloadKeyWarmer<T>(key, Options(provider).Policies.For(kind), provider, load));
        return builder;
    }

    private static IEventKitBuilder AddHybridCachingCore(IEventKitBuilder builder)
    {
        var services = builder.Services;
        if (services.Any(static d => d.ServiceType == typeof(HybridCachingMarker)))
        {
            return builder;
        }

        services.AddSingleton<HybridCachingMarker>();
        services.AddOptions<HybridCachingOptions>().ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<HybridCachingOptions>, HybridCachingOptionsValidator>());
        services.TryAddSingleton(TimeProvider.System);
        services.AddMetrics();
        services.TryAddSingleton(static provider => new DefaultHybridCache(
            provider.GetRequiredService<IOptions<HybridCachingOptions>>(),
            provider.GetRequiredService<TimeProvider>(),
            provider.GetRequiredService<System.Diagnostics.Metrics.IMeterFactory>(),
            (Microsoft.Extensions.Logging.ILogger<DefaultHybridCache>?)provider.GetService<Microsoft.Extensions.Logging.ILogger<DefaultHybridCache>>() ?? Microsoft.Extensions.Logging.Abstractions.NullLogger<DefaultHybridCache>.Instance,
            provider));
        // Replace, not TryAdd: services.AddHybridCache() (the way to reach IHybridCacheBuilder.AddSerializer) registers
        // Microsoft's cache, and ours must win in either call order.
        services.RemoveAll<HybridCache>();
        services.AddSingleton<HybridCache>(static provider => provider.GetRequiredService<DefaultHybridCache>());
        services.TryAddSingleton<IHybridCacheStatistics>(static provider => provider.GetRequiredService<DefaultHybridCache>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IHostedService, CacheWarmingService>());

        services.AddHealthChecks().Add(new HealthCheckRegistration("redis", static sp => new HybridCacheHealthCheck(sp.GetRequiredService<DefaultHybridCache>()), HealthStatus.Degraded, ["ready"]));

        // Anti-passback and request-id claims of the check-in pipeline go through Redis too, when there is one.
        services.Replace(ServiceDescriptor.Singleton<ICheckInClaims>(CheckInClaimsFactory.Create));
        return builder;
    }

    private static DefaultHybridCache Cache(IServiceProvider provider) => provider.GetRequiredService<DefaultHybridCache>();

    private static HybridCachingOptions Options(IServiceProvider provider) => provider.GetRequiredService<IOptions<HybridCachingOptions>>().Value;

    /// <summary>Replaces every registration of <typeparamref name="TService"/> with a decorator around what it produced.</summary>
    private static bool Decorate<TService>(IServiceCollection services, Func<TService, IServiceProvider, TService> decorate)
        where TService : class
    {
        var found = false;
        for (var i = 0; i < services.Count; i++)
        {
            var descriptor = services[i];
            if (descriptor.ServiceType != typeof(TService) || descriptor.IsKeyedService)
            {
                continue;
            }

            found = true;
            services[i] = ServiceDescriptor.Describe(
                typeof(TService),
                provider => decorate((TService)Inner(descriptor, provider), provider),
                descriptor.Lifetime);
        }

        return found;
    }

    private static object Inner(ServiceDescriptor descriptor, IServiceProvider provider) =>
        descriptor.ImplementationInstance
        ?? descriptor.ImplementationFactory?.Invoke(provider)
        ?? ActivatorUtilities.CreateInstance(provider, descriptor.ImplementationType!);

    private sealed class HybridCachingMarker;

    private sealed class CachedDirectoriesMarker;
}
