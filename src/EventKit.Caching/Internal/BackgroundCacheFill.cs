using System.Diagnostics;
using System.Runtime.CompilerServices;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace EventKit.Caching.Internal;

/// <summary>
/// Runs long cache fills (the L2 participant fill: 100,000 Redis writes) after the host has started instead of inside
/// it: start-up and readiness do not wait for them, stopping the host cancels them, and a failure is logged, never
/// thrown (a value not filled is cached at its first read, as on a node that did not claim the fill).
/// </summary>
internal sealed class BackgroundCacheFill(ILogger<BackgroundCacheFill> logger) : IHostedService, IDisposable
{
    private readonly CancellationTokenSource _stopping = new();
    private readonly Lock _gate = new();
    private Task _running = Task.CompletedTask;

    /// <summary>Completes when every fill started so far has finished, stopped or failed (never faults).</summary>
    public Task Running
    {
        get
        {
            lock (_gate)
            {
                return _running;
            }
        }
    }

    /// <summary>Starts <paramref name="fill"/> on the thread pool; it reports the entries written through its <see cref="StrongBox{T}"/>.</summary>
    public void Start(string name, Func<StrongBox<long>, CancellationToken, Task> fill)
    {
        lock (_gate)
        {
            if (_stopping.IsCancellationRequested)
            {
                return;
            }

            var run = Task.Run(() => RunAsync(name, fill), CancellationToken.None);
            _running = _running.IsCompleted ? run : Task.WhenAll(_running, run);
        }
    }

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        Task running;
        lock (_gate)
        {
            _stopping.Cancel();
            running = _running;
        }

        await running.WaitAsync(cancellationToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
    }

    public void Dispose() => _stopping.Dispose();

    private async Task RunAsync(string name, Func<StrongBox<long>, CancellationToken, Task> fill)
    {
        var started = Stopwatch.GetTimestamp();
        var count = new StrongBox<long>();
        try
        {
            await fill(count, _stopping.Token).ConfigureAwait(false);
            Log.BackgroundFillFinished(logger, name, count.Value, Stopwatch.GetElapsedTime(started));
        }
        catch (OperationCanceledException) when (_stopping.IsCancellationRequested)
        {
            Log.BackgroundFillStopped(logger, name, count.Value);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            Log.BackgroundFillFailed(logger, name, count.Value, e);
        }
    }
}
