using System.Diagnostics.Metrics;
using EventKit.Caching.Internal;
using EventKit.Testing;
using Microsoft.Extensions.Caching.Hybrid;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace EventKit.Caching.Tests;

public sealed class CachingEventKitBuilderExtensionsTests
{
    [Fact]
    public async Task EventKits_cache_is_keyed_and_works_L1_only_and_takes_no_unkeyed_HybridCache()
    {
        using var host = Host(b => b.AddHybridCaching(o => o.L1Capacity = 200_000));
        await host.StartAsync();

        var cache = host.Services.GetRequiredKeyedService<HybridCache>(EventKitServiceKeys.Cache);

        Assert.IsType<DefaultHybridCache>(cache);
        Assert.Null(host.Services.GetService<HybridCache>());
        Assert.Same(cache, host.Services.GetRequiredService<IHybridCacheStatistics>());
        Assert.Equal(5, await cache.GetOrCreateAsync("k", _ => ValueTask.FromResult(5)));
        Assert.False(((DefaultHybridCache)cache).HasL2);
        await host.StopAsync();
    }

    [Fact]
    public async Task Invalid_options_fail_at_start_naming_the_setting()
    {
        using var host = Host(b => b.AddHybridCaching(o =>
        {
            o.L1Capacity = 10;
            o.L2Timeout = TimeSpan.Zero;
            o.Policies.Participant.LocalExpiration = TimeSpan.FromHours(1);
        }));

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());

        Assert.Contains("EventKit:Caching:L1Capacity must be between 100 and 50000000", error.Message, StringComparison.Ordinal);
        Assert.Contains("EventKit:Caching:L2Timeout", error.Message, StringComparison.Ordinal);
        Assert.Contains("EventKit:Caching:Policies:Participant:LocalExpiration", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Registration_is_idempotent()
    {
        var services = new ServiceCollection();
        var builder = services.AddEventKit();

        builder.AddHybridCaching().AddHybridCaching(_ => { });

        Assert.Single(services, d => d.ServiceType == typeof(HybridCache));
        Assert.Single(services, d => d.ServiceType == typeof(HybridCache) && Equals(d.ServiceKey, EventKitServiceKeys.Cache));

        builder.RegisterAsHybridCache().RegisterAsHybridCache();

        Assert.Single(services, d => d.ServiceType == typeof(HybridCache) && !d.IsKeyedService);
        Assert.Single(services, d => d.ServiceType == typeof(IValidateOptions<HybridCachingOptions>));
    }

    [Fact]
    public async Task Cached_directories_decorate_the_registered_ones()
    {
        var store = new InMemoryDirectories();
        using var host = Host(b => b.Services.AddSingleton<IParticipantDirectory>(store).AddSingleton<IParticipantRegistry>(store).AddSingleton<IGateDirectory>(store), b => b.AddHybridCaching().AddCachedDirectories());
        await host.StartAsync();
        await store.RegisterAsync(1, [new NewParticipant("Di", "token-di")]);

        var directory = host.Services.GetRequiredService<IParticipantDirectory>();
        await directory.FindByCredentialAsync(CredentialHash.Compute("token-di"));
        await directory.FindByCredentialAsync(CredentialHash.Compute("token-di"));

        Assert.IsType<CachedParticipantDirectory>(directory);
        Assert.IsType<CachedParticipantRegistry>(host.Services.GetRequiredService<IParticipantRegistry>());
        Assert.IsType<CachedGateDirectory>(host.Services.GetRequiredService<IGateDirectory>());
        Assert.Equal(1, store.CredentialReads);
        await host.StopAsync();
    }

    [Fact]
    public void Cached_directories_without_a_directory_to_decorate_fail_clearly()
    {
        var builder = new ServiceCollection().AddEventKit();

        builder.AddCachedDirectories();
        using var provider = builder.Services.BuildServiceProvider();

        var error = Assert.Throws<InvalidOperationException>(() => provider.GetRequiredService<IParticipantDirectory>());

        Assert.Contains("add a store (for example .AddPostgresStorage(), in any order)", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Warmers_and_preloaded_keys_run_at_start_and_on_the_interval()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 11, 21, 9, 0, 0, TimeSpan.Zero));
        var loads = 0;
        using var host = Host(
            b => b.Services.AddSingleton<TimeProvider>(time),
            b => b.AddHybridCaching(o => o.WarmingInterval = TimeSpan.FromMinutes(1))
                .AddCacheWarmer<FailingWarmer>()
                .PreloadCacheKey("event_config", CacheKind.Static, (_, _) => ValueTask.FromResult(++loads)));

        await host.StartAsync();
        var cache = host.Services.GetRequiredKeyedService<HybridCache>(EventKitServiceKeys.Cache);

        Assert.Equal(1, await cache.GetOrCreateAsync("event_config", _ => ValueTask.FromResult(-1)));
        // The warming loop may not have armed its timer when the clock first moves: move it again while polling.
        await Eventually.TrueAsync(
            async () =>
            {
                time.Advance(TimeSpan.FromMinutes(1));
                return await cache.GetOrCreateAsync("event_config", _ => ValueTask.FromResult(-1)) >= 2;
            },
            "the scheduled warming reloaded the key");
        await host.StopAsync();
    }

    [Fact]
    public async Task Metrics_report_requests_per_tier_and_type()
    {
        using var host = Host(b => b.AddHybridCaching(o => o.Name = "metrics-test"));
        await host.StartAsync();
        var cache = host.Services.GetRequiredKeyedService<HybridCache>(EventKitServiceKeys.Cache);
        await cache.GetOrCreateAsync("m", _ => ValueTask.FromResult(1));
        await cache.GetOrCreateAsync("m", _ => ValueTask.FromResult(1));
        var seen = new Dictionary<string, long>();
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == EventKitDiagnostics.Caching && instrument.Name == "cache.requests")
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<long>((_, value, tags, _) =>
        {
            string? tier = null, type = null, name = null;
            foreach (var tag in tags)
            {
                switch (tag.Key)
                {
                    case "cache.tier": tier = (string?)tag.Value; break;
                    case "cache.request.type": type = (string?)tag.Value; break;
                    case "cache.name": name = (string?)tag.Value; break;
                }
            }

            if (name == "metrics-test")
            {
                seen[$"{tier}/{type}"] = value;
            }
        });
        listener.Start();

        listener.RecordObservableInstruments();

        Assert.Equal(1, seen["l1/hit"]);
        Assert.Equal(1, seen["l1/miss"]);
        Assert.Equal(0, seen["l2/hit"]);
        await host.StopAsync();
    }

    private static IHost Host(Action<IEventKitBuilder> configure) => Host(_ => { }, configure);

    private static IHost Host(Action<IEventKitBuilder> before, Action<IEventKitBuilder> configure)
    {
        // Empty: the test run's EVENTKIT_REDIS must not give these hosts a Redis tier they did not ask for.
        var builder = Microsoft.Extensions.Hosting.Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        var eventKit = builder.Services.AddEventKit();
        before(eventKit);
        configure(eventKit);
        return builder.Build();
    }

    private sealed class FailingWarmer : ICacheWarmer
    {
        public ValueTask WarmAsync(HybridCache cache, CancellationToken cancellationToken) => throw new InvalidOperationException("warming source down");
    }
}
