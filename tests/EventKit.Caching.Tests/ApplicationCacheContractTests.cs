using EventKit.Caching.Internal;
using EventKit.Redis;
using EventKit.Testing;
using Microsoft.Extensions.Caching.Hybrid;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace EventKit.Caching.Tests;

/// <summary>
/// The contract between EventKit's cache and the application's <see cref="HybridCache"/>: EventKit takes the
/// application's cache over only when asked (<c>.RegisterAsHybridCache()</c>), and then in a namespace of its own.
/// </summary>
public sealed class ApplicationCacheContractTests(RedisFixture redis) : IClassFixture<RedisFixture>, IDisposable
{
    private readonly List<ServiceProvider> _providers = [];
    private readonly string _scope = $"{redis.KeyPrefix}{Guid.NewGuid().ToString("N")[..8]}";

    [Fact]
    public async Task An_applications_own_HybridCache_is_left_alone_and_start_up_says_so_in_one_line()
    {
        var logs = new ListLogger();
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Logging.AddProvider(logs);
        builder.Services.AddHybridCache();
        builder.Services.AddEventKit().AddHybridCaching();
        using var host = builder.Build();
        await host.StartAsync();

        var application = host.Services.GetRequiredService<HybridCache>();

        Assert.IsNotType<DefaultHybridCache>(application);
        Assert.IsType<DefaultHybridCache>(host.Services.GetRequiredKeyedService<HybridCache>(EventKitServiceKeys.Cache));
        var line = Assert.Single(logs.Entries, e => e.EventId.Id == 4017);
        Assert.Contains(application.GetType().FullName!, line.Message, StringComparison.Ordinal);
        Assert.Contains(".RegisterAsHybridCache()", line.Message, StringComparison.Ordinal);
        await host.StopAsync();
    }

    [Fact]
    public async Task RegisterAsHybridCache_gives_the_application_its_own_namespace_on_every_node()
    {
        var (appA, ekA) = Node();
        var (appB, ekB) = Node();
        var key = $"shared:{Guid.NewGuid():N}";

        // The same key and tag in both namespaces are two entries.
        await ekA.SetAsync(key, "eventkit", tags: ["participant"]);
        await appA.SetAsync(key, "app", tags: ["participant"]);
        Assert.Equal("eventkit", await ekB.GetOrCreateAsync(key, _ => ValueTask.FromResult("miss")));
        Assert.Equal("app", await appB.GetOrCreateAsync(key, _ => ValueTask.FromResult("miss")));
        Assert.True(await redis.Connection.GetDatabase().KeyExistsAsync(_scope + ":app:" + key));
        Assert.True(await redis.Connection.GetDatabase().KeyExistsAsync(_scope + ":eventkit:" + key));

        // The application wipes everything it has: EventKit's entries stay, in L1 here and there, and in L2.
        await appA.RemoveByTagAsync("*");
        await appA.RemoveByTagAsync("participant");

        Assert.Equal("app-reloaded", await appA.GetOrCreateAsync(key, _ => ValueTask.FromResult("app-reloaded")));
        await Eventually.TrueAsync(
            async () => await appB.GetOrCreateAsync(key, _ => ValueTask.FromResult("app-b-reloaded")) != "app",
            "node B saw the application's invalidation");
        Assert.Equal("eventkit", await ekA.GetOrCreateAsync(key, _ => ValueTask.FromResult("wiped")));
        Assert.Equal("eventkit", await ekB.GetOrCreateAsync(key, _ => ValueTask.FromResult("wiped")));
        var (_, ekC) = Node();
        Assert.Equal("eventkit", await ekC.GetOrCreateAsync(key, _ => ValueTask.FromResult("wiped")));

        // And the reverse: EventKit wiping its cache leaves the application's entries alone.
        var appKey = $"own:{Guid.NewGuid():N}";
        await appA.SetAsync(appKey, "kept");
        await ekA.RemoveByTagAsync("*");

        Assert.Equal("kept", await appA.GetOrCreateAsync(appKey, _ => ValueTask.FromResult("wiped")));
        Assert.Equal("kept", await appB.GetOrCreateAsync(appKey, _ => ValueTask.FromResult("wiped")));
    }

    [Fact]
    public void Cache_namespaces_that_overlap_each_other_or_the_claims_fail_at_start_naming_both_settings()
    {
        using var provider = Provider(o =>
        {
            o.KeyPrefix = "{eventkit}:";
            o.ApplicationKeyPrefix = "{eventkit}:app:";
        });

        var error = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IOptions<HybridCachingOptions>>().Value);

        Assert.Contains("EventKit:Caching:KeyPrefix ('{eventkit}:') overlaps EventKit:Claims:KeyPrefix ('{eventkit}:claims:')", error.Message, StringComparison.Ordinal);
        Assert.Contains("EventKit:Caching:KeyPrefix ('{eventkit}:') overlaps the Redis epoch key", error.Message, StringComparison.Ordinal);
        Assert.Contains("EventKit:Caching:KeyPrefix ('{eventkit}:') overlaps EventKit:Caching:ApplicationKeyPrefix ('{eventkit}:app:')", error.Message, StringComparison.Ordinal);
    }

    public void Dispose()
    {
        foreach (var provider in _providers)
        {
            provider.Dispose();
        }
    }

    private static ServiceProvider Provider(Action<HybridCachingOptions> configure)
    {
        var services = new ServiceCollection();
        services.AddEventKit().AddRedisCheckInClaims().AddHybridCaching(configure);
        return services.BuildServiceProvider();
    }

    private (HybridCache Application, HybridCache EventKit) Node()
    {
        var services = new ServiceCollection();
        services.AddEventKit()
            .AddRedis(o =>
            {
                o.Configuration = redis.Configuration;
                o.KeyPrefix = _scope + ":redis:";
            })
            .AddHybridCaching(o =>
            {
                o.KeyPrefix = _scope + ":eventkit:";
                o.ApplicationKeyPrefix = _scope + ":app:";

                // The shared test machine is slow at times; the default 50 ms budget would turn reads into misses.
                o.L2Timeout = TimeSpan.FromSeconds(2);
            })
            .RegisterAsHybridCache();
        var provider = services.BuildServiceProvider();
        _providers.Add(provider);
        provider.GetRequiredService<IRedisConnection>().ConnectAsync().GetAwaiter().GetResult();
        var application = provider.GetRequiredService<HybridCache>();
        var eventKit = provider.GetRequiredKeyedService<HybridCache>(EventKitServiceKeys.Cache);
        Assert.NotSame(application, eventKit);
        return (application, eventKit);
    }
}
