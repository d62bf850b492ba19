using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace EventKit.Storage.Internal;

/// <summary>Runs partition maintenance at start (so the current partition exists before the first write) and then every interval; VACUUM (ANALYZE) on its own interval.</summary>
internal sealed class StorageMaintenanceHostedService(PartitionMaintainer maintainer, IOptions<PostgresStorageOptions> options, TimeProvider time, ILogger<StorageMaintenanceHostedService> logger)
    : IHostedService, IAsyncDisposable, IDisposable
{
    private readonly CancellationTokenSource _stopping = new();
    private Task _partitions = Task.CompletedTask;
    private Task _vacuum = Task.CompletedTask;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var o = options.Value.Maintenance;
        if (!o.Enabled)
        {
            return;
        }

        await RunSafelyAsync(static (m, ct) => m.RunOnceAsync(ct), cancellationToken).ConfigureAwait(false);
        _partitions = LoopAsync(o.Interval, static (m, ct) => m.RunOnceAsync(ct));
        if (o.VacuumInterval > TimeSpan.Zero)
        {
            _vacuum = LoopAsync(o.VacuumInterval, static (m, ct) => m.VacuumAsync(ct));
        }
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        await _stopping.CancelAsync().ConfigureAwait(false);
        await Task.WhenAll(_partitions, _vacuum).WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync().ConfigureAwait(false);
        await Task.WhenAll(_partitions, _vacuum).ConfigureAwait(false);
    }

    public void Dispose() => DisposeAsync().AsTask().GetAwaiter().GetResult();

    private async Task LoopAsync(TimeSpan interval, Func<PartitionMaintainer, CancellationToken, Task> step)
    {
        try
        {
            while (true)
            {
                await Task.Delay(interval, time, _stopping.Token).ConfigureAwait(false);
                await RunSafelyAsync(step, _stopping.Token).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (_stopping.IsCancellationRequested)
        {
            // Host shutdown.
        }
    }

    private async Task RunSafelyAsync(Func<PartitionMaintainer, CancellationToken, Task> step, CancellationToken cancellationToken)
    {
        try
        {
            await step(maintainer, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is Npgsql.NpgsqlException or TimeoutException or InvalidOperationException)
        {
            // lock_timeout, a failover, a concurrent DDL: the next round tries again.
            Log.MaintenanceFailed(logger, e);
        }
    }
}
