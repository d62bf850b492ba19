using System.Diagnostics.Metrics;
using EventKit.Caching;
using EventKit.Caching.Internal;
using EventKit.Internal;
using EventKit.Monitoring;
using EventKit.Redis;
using Microsoft.Extensions.Caching.Hybrid;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace EventKit;

/// <summary>Adds EventKit.Caching to an EventKit builder.</summary>
public static class CachingEventKitBuilderExtensions
{
    private const string ApplicationCacheKey = "EventKit.ApplicationCache";

    /// <summary>Registers EventKit's <see cref="HybridCache"/> (L2 = EventKit's Redis connection when one is configured, else L1 only).</summary>
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
    /// Puts the cache in front of the stores (<see cref="IParticipantDirectory"/>, <see cref="IGateDirectory"/>,
    /// <see cref="IParticipantRegistry"/>, <see cref="IGateRegistry"/>): reads go through the cache, writes invalidate
    /// the cached copies on every node. Order-free: the stores are those registered under
    /// <see cref="EventKitServiceKeys.Store"/> (by <c>.AddPostgresStorage()</c>, before or after this verb), or the
    /// ones already registered unkeyed when this verb runs.
    /// </summary>
    /// <param name="builder">The EventKit builder.</param>
    /// <returns>The builder.</returns>
    public static IEventKitBuilder AddCachedDirectories(this IEventKitBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var services = builder.Services;
        AddHybridCachingCore(builder);
        if (!services.TryAddFeature<CachedDirectoriesFeature>())
        {
            return builder;
        }

        Decorate<IParticipantDirectory>(services, static (inner, provider) => new CachedParticipantDirectory(inner, Cache(provider), Options(provider)));
        Decorate<IGateDirectory>(services, static (inner, provider) => new CachedGateDirectory(inner, Cache(provider), Options(provider)));
        Decorate<IParticipantRegistry>(services, static (inner, provider) => new CachedParticipantRegistry(inner, Cache(provider), Options(provider), provider.GetRequiredService<CredentialHasher>()));
        Decorate<IGateRegistry>(services, static (inner, provider) => new CachedGateRegistry(inner, provider.GetRequiredService<IGateDirectory>(), Cache(provider)));
        DecorateIfStored<IEventDirectory>(services, static (inner, provider) => new CachedEventDirectory(inner, Cache(provider), Options(provider)));
        DecorateIfStored<IEventRegistry>(services, static (inner, provider) => new CachedEventRegistry(inner, Cache(provider)));
        services.TryAddSingleton<BackgroundCacheFill>();
        services.AddHostedService(static provider => provider.GetRequiredService<BackgroundCacheFill>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<ICacheWarmer, ParticipantCacheWarmer>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<ICacheWarmer, EventConfigCacheWarmer>());
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
        if (!services.TryAddFeature<HybridCachingOptions>())
        {
            return builder;
        }

        // The L2 is EventKit's shared Redis connection, when one is configured (AddRedis, a registered multiplexer,
        // ConnectionStrings:eventkit-redis or EVENTKIT_REDIS).
        builder.AddRedis();
        services.BindFromConfiguration<HybridCachingOptions>(static (configuration, options) => configuration.GetSection("EventKit:Caching").Bind(options));
        services.AddOptions<HybridCachingOptions>().ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<HybridCachingOptions>, HybridCachingOptionsValidator>());
        services.TryAddSingleton(TimeProvider.System);
        services.AddMetrics();
        services.TryAddSingleton(static provider => new DefaultHybridCache(
            provider.GetRequiredService<IOptions<HybridCachingOptions>>(),
            provider.GetRequiredService<TimeProvider>(),
            provider.GetRequiredService<IMeterFactory>(),
            provider.GetService<ILogger<DefaultHybridCache>>() ?? NullLogger<DefaultHybridCache>.Instance,
            provider,
            provider.GetService<IRedisConnection>()));

        // EventKit's own instance is keyed: the application's unkeyed HybridCache (Microsoft's, another library's, or
        // none) is left alone unless the application asks for EventKit's with .RegisterAsHybridCache().
        services.AddKeyedSingleton<HybridCache>(EventKitServiceKeys.Cache, static (provider, _) => provider.GetRequiredService<DefaultHybridCache>());
        services.TryAddSingleton<IHybridCacheStatistics>(static provider => provider.GetRequiredService<DefaultHybridCache>());
        services.TryAddSingleton<CacheWarmingService>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IHostedService, CacheWarmingService>(static sp => sp.GetRequiredService<CacheWarmingService>()));

        // Recovery actions for EventKit.Monitoring's rules (inert without it).
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IRecoveryAction, RewarmCachesAction>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IRecoveryAction, CompactL1Action>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IRecoveryAction, ResetRedisCircuitAction>());
        services.AddHealthChecks().Add(new HealthCheckRegistration("cache", static sp => new HybridCacheHealthCheck(sp.GetRequiredService<DefaultHybridCache>()), HealthStatus.Degraded, ["ready"]));
        return builder;
    }

    /// <summary>
    /// Makes EventKit's cache engine the application's <see cref="HybridCache"/> too, replacing any other registration
    /// (Microsoft's <c>AddHybridCache()</c>, in either order; serializers registered through it still apply). The
    /// application gets its own instance with its own key namespace (<see cref="HybridCachingOptions.ApplicationKeyPrefix"/>)
    /// and tag space: its <c>RemoveByTagAsync("*")</c> never removes EventKit's entries, nor EventKit's the application's.
    /// Without this verb EventKit registers no unkeyed <see cref="HybridCache"/>; its own is under
    /// <see cref="EventKitServiceKeys.Cache"/>.
    /// </summary>
    /// <param name="builder">The EventKit builder.</param>
    /// <returns>The builder.</returns>
    public static IEventKitBuilder RegisterAsHybridCache(this IEventKitBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var services = builder.Services;
        AddHybridCachingCore(builder);
        if (!services.TryAddFeature<ApplicationCacheFeature>())
        {
            return builder;
        }

        services.AddKeyedSingleton(ApplicationCacheKey, static (provider, _) => new DefaultHybridCache(
            Microsoft.Extensions.Options.Options.Create(Options(provider).ForApplication()),
            provider.GetRequiredService<TimeProvider>(),
            provider.GetRequiredService<IMeterFactory>(),
            provider.GetService<ILogger<DefaultHybridCache>>() ?? NullLogger<DefaultHybridCache>.Instance,
            provider,
            provider.GetService<IRedisConnection>()));

        // Replace, not TryAdd: the application asked for EventKit's cache, whether AddHybridCache() came before or after.
        services.RemoveAll<HybridCache>();
        services.AddSingleton<HybridCache>(static provider => provider.GetRequiredKeyedService<DefaultHybridCache>(ApplicationCacheKey));
        return builder;
    }

    private static DefaultHybridCache Cache(IServiceProvider provider) => provider.GetRequiredService<DefaultHybridCache>();

    private static HybridCachingOptions Options(IServiceProvider provider) => provider.GetRequiredService<IOptions<HybridCachingOptions>>().Value;

    /// <summary>
    /// Registers a cached <typeparamref name="TService"/> around the store under <see cref="EventKitServiceKeys.Store"/>.
    /// Unkeyed registrations found now become that store when there is none yet (an application's own directory);
    /// when there is one (storage ran first), they are its forwarders and make way for the decorator.
    /// </summary>
    private static void Decorate<TService>(IServiceCollection services, Func<TService, IServiceProvider, TService> decorate)
        where TService : class
    {
        RekeyStores<TService>(services);
        services.AddSingleton(provider => decorate(
            provider.GetKeyedService<TService>(EventKitServiceKeys.Store)
                ?? throw new InvalidOperationException($"AddCachedDirectories() found no {typeof(TService).Name} to cache: add a store (for example .AddPostgresStorage(), in any order)."),
            provider));
    }

    /// <summary>
    /// Like <see cref="Decorate{TService}"/> for a store that is optional (the event configuration): without a store under
    /// <see cref="EventKitServiceKeys.Store"/> the service resolves to <see langword="null"/>, as if never registered.
    /// </summary>
    private static void DecorateIfStored<TService>(IServiceCollection services, Func<TService, IServiceProvider, TService> decorate)
        where TService : class
    {
        RekeyStores<TService>(services);
        services.AddSingleton(provider => provider.GetKeyedService<TService>(EventKitServiceKeys.Store) is { } store ? decorate(store, provider) : null!);
    }

    /// <summary>Removes the unkeyed <typeparamref name="TService"/> registrations; the first becomes the keyed store when there is none yet.</summary>
    private static void RekeyStores<TService>(IServiceCollection services)
    {
        var hasStore = false;
        for (var i = 0; i < services.Count; i++)
        {
            hasStore |= services[i].ServiceType == typeof(TService) && Equals(services[i].ServiceKey, EventKitServiceKeys.Store);
        }

        for (var i = services.Count - 1; i >= 0; i--)
        {
            var descriptor = services[i];
            if (descriptor.ServiceType != typeof(TService) || descriptor.IsKeyedService)
            {
                continue;
            }

            services.RemoveAt(i);
            if (!hasStore)
            {
                services.Insert(i, Rekey(descriptor));
                hasStore = true;
            }
        }
    }

    private static ServiceDescriptor Rekey(ServiceDescriptor descriptor) => descriptor switch
    {
        { ImplementationInstance: { } instance } => ServiceDescriptor.KeyedSingleton(descriptor.ServiceType, EventKitServiceKeys.Store, instance),
        { ImplementationFactory: { } factory } => new ServiceDescriptor(descriptor.ServiceType, EventKitServiceKeys.Store, (provider, _) => factory(provider), descriptor.Lifetime),
        _ => new ServiceDescriptor(descriptor.ServiceType, EventKitServiceKeys.Store, descriptor.ImplementationType!, descriptor.Lifetime),
    };

    private sealed class CachedDirectoriesFeature;

    private sealed class ApplicationCacheFeature;
}
