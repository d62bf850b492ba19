using System.Diagnostics;
using Microsoft.Extensions.Caching.Hybrid;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace EventKit.Caching.Internal;

/// <summary>Runs the registered <see cref="ICacheWarmer"/>s before the host finishes starting, then on the warming interval if set.</summary>
internal sealed class CacheWarmingService(
    IEnumerable<ICacheWarmer> warmers,
    IServiceProvider services,
    IOptions<HybridCachingOptions> options,
    TimeProvider time,
    ILogger<CacheWarmingService> logger) : IHostedService, IDisposable
{
    private readonly ICacheWarmer[] _warmers = [.. warmers];
    private readonly CancellationTokenSource _stopping = new();
    private Task? _loop;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        ReportApplicationCache();
        if (_warmers.Length == 0)
        {
            return;
        }

        // Resolved here rather than injected so that a host without warmers never creates the cache eagerly.
        var cache = services.GetRequiredKeyedService<HybridCache>(EventKitServiceKeys.Cache);
        await RunOnceAsync(cache, cancellationToken).ConfigureAwait(false);
        if (options.Value.WarmingInterval is { } interval)
        {
            _loop = LoopAsync(cache, interval, _stopping.Token);
        }
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        await _stopping.CancelAsync().ConfigureAwait(false);
        if (_loop is not null)
        {
            await _loop.WaitAsync(cancellationToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }
    }

    public void Dispose() => _stopping.Dispose();

    /// <summary>One line at start when the application's <see cref="HybridCache"/> is another implementation, so nobody assumes they share one.</summary>
    private void ReportApplicationCache()
    {
        if (services.GetService<HybridCache>() is { } application and not DefaultHybridCache)
        {
            var ours = services.GetRequiredService<DefaultHybridCache>();
            Log.ApplicationHasOtherHybridCache(logger, application.GetType().FullName ?? application.GetType().Name, ours.HasL2 ? "Redis" : "none, L1 only", options.Value.KeyPrefix);
        }
    }

    /// <summary>Runs every warmer now against EventKit's cache (the <c>rewarm_caches</c> recovery action).</summary>
    /// <returns>How many warmers ran and how many of them failed.</returns>
    internal Task<(int Count, int Failed)> RunNowAsync(CancellationToken cancellationToken) =>
        _warmers.Length == 0
            ? Task.FromResult((0, 0))
            : RunOnceAsync(services.GetRequiredKeyedService<HybridCache>(EventKitServiceKeys.Cache), cancellationToken);

    internal async Task<(int Count, int Failed)> RunOnceAsync(HybridCache cache, CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        var failed = 0;
        foreach (var warmer in _warmers)
        {
            try
            {
                await warmer.WarmAsync(cache, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                Log.WarmerFailed(logger, warmer.GetType().Name, e);
                failed++;
            }
        }

        Log.WarmersRan(logger, _warmers.Length, Stopwatch.GetElapsedTime(started));
        return (_warmers.Length, failed);
    }

    private async Task LoopAsync(HybridCache cache, TimeSpan interval, CancellationToken stopping)
    {
        using var timer = new PeriodicTimer(interval, time);
        try
        {
            while (await timer.WaitForNextTickAsync(stopping).ConfigureAwait(false))
            {
                await RunOnceAsync(cache, stopping).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
            // Stopping.
        }
    }
}
