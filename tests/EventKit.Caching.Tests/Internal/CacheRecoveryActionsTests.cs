using EventKit.Caching.Internal;
using EventKit.Monitoring;
using EventKit.Redis;
using EventKit.Testing;
using Microsoft.Extensions.Caching.Hybrid;
using Microsoft.Extensions.DependencyInjection;

namespace EventKit.Caching.Tests.Internal;

/// <summary>
/// The recovery actions EventKit.Caching offers EventKit.Monitoring's rules (<c>rewarm_caches</c>, <c>compact_l1</c>,
/// <c>reset_redis_circuit</c>), resolved the way the monitoring engine finds them: every <see cref="IRecoveryAction"/>, by name.
/// </summary>
public sealed class CacheRecoveryActionsTests : IAsyncLifetime
{
    private static readonly RecoveryContext Context = new("test_rule", 1, 0.5, AlertSeverity.Critical, DateTimeOffset.UnixEpoch);

    private DedicatedRedisServer _server = null!;

    public async Task InitializeAsync() => _server = await DedicatedRedisServer.StartNewAsync();

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task Rewarm_caches_runs_every_warmer_again()
    {
        var loads = 0;
        var services = new ServiceCollection().AddLogging();
        services.AddEventKit().AddHybridCaching()
            .PreloadCacheKey("stats:overall", CacheKind.Analytics, (_, _) => ValueTask.FromResult(Interlocked.Increment(ref loads)));
        await using var provider = services.BuildServiceProvider();
        var cache = provider.GetRequiredKeyedService<HybridCache>(EventKitServiceKeys.Cache);

        var result = await Action(provider, RecoveryActionNames.RewarmCaches).ExecuteAsync(Context, CancellationToken.None);

        Assert.True(result.Succeeded, result.Detail);
        Assert.Equal("Ran 1 cache warmers (0 failed).", result.Detail);
        Assert.Equal(1, loads);
        Assert.Equal(1, await cache.GetOrCreateAsync("stats:overall", _ => ValueTask.FromResult(-1)));
    }

    [Fact]
    public async Task Compact_l1_removes_a_quarter_of_the_entries()
    {
        var services = new ServiceCollection().AddLogging();
        services.AddEventKit().AddHybridCaching();
        await using var provider = services.BuildServiceProvider();
        var cache = provider.GetRequiredService<DefaultHybridCache>();
        for (var i = 0; i < 100; i++)
        {
            await cache.SetAsync($"k{i}", i);
        }

        var result = await Action(provider, RecoveryActionNames.CompactL1).ExecuteAsync(Context, CancellationToken.None);

        Assert.True(result.Succeeded);
        Assert.Equal(75, cache.L1.Count);
        Assert.Equal("Compacted L1 from 100 to 75 entries.", result.Detail);
    }

    [Fact]
    public async Task Reset_redis_circuit_closes_an_open_circuit_once_Redis_answers_and_leaves_it_open_while_it_does_not()
    {
        var services = new ServiceCollection().AddLogging();
        services.AddEventKit().AddRedis(o => o.Configuration = _server.Configuration).AddHybridCaching(o =>
        {
            o.KeyPrefix = "recovery:";
            o.L2Timeout = TimeSpan.FromMilliseconds(200);
            o.CircuitBreakDuration = TimeSpan.FromMinutes(10);   // it would stay open for the whole test on its own
        });
        await using var provider = services.BuildServiceProvider();
        await provider.GetRequiredService<IRedisConnection>().ConnectAsync();
        var cache = provider.GetRequiredService<DefaultHybridCache>();
        await cache.SetAsync("warm", 1);
        var action = Action(provider, RecoveryActionNames.ResetRedisCircuit);

        // Redis answers nobody for 3 s: calls time out and the circuit opens.
        await RedisCli.RunAsync(_server.Port, "CLIENT", "PAUSE", "3000", "ALL");

        for (var i = 0; i < 5 && !cache.GetSnapshot().IsCircuitOpen; i++)
        {
            await cache.GetOrCreateAsync($"probe-{i}", _ => ValueTask.FromResult(0));
        }

        Assert.True(cache.GetSnapshot().IsCircuitOpen);
        var whilePaused = await action.ExecuteAsync(Context, CancellationToken.None);
        Assert.False(whilePaused.Succeeded);
        Assert.StartsWith("Redis did not answer PING", whilePaused.Detail, StringComparison.Ordinal);
        Assert.True(cache.GetSnapshot().IsCircuitOpen);

        RecoveryResult? afterPause = null;
        await Eventually.TrueAsync(
            async () => (afterPause = await action.ExecuteAsync(Context, CancellationToken.None)).Succeeded,
            "the probe succeeds once the pause is over",
            TimeSpan.FromSeconds(30));
        Assert.Equal("Redis answered PING; the L2 circuit is closed.", afterPause!.Detail);
        Assert.False(cache.GetSnapshot().IsCircuitOpen);
    }

    [Fact]
    public async Task Reset_redis_circuit_fails_without_a_Redis_tier()
    {
        var services = new ServiceCollection().AddLogging();
        services.AddEventKit().AddHybridCaching();
        await using var provider = services.BuildServiceProvider();

        var result = await Action(provider, RecoveryActionNames.ResetRedisCircuit).ExecuteAsync(Context, CancellationToken.None);

        Assert.False(result.Succeeded);
        Assert.Equal("The cache has no Redis tier (L1 only).", result.Detail);
    }

    private static IRecoveryAction Action(IServiceProvider provider, string name) =>
        provider.GetServices<IRecoveryAction>().Single(a => a.Name == name);
}
