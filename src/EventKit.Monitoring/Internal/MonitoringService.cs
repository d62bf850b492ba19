using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace EventKit.Monitoring.Internal;

/// <summary>Starts the listener; every second closes a second and evaluates the alert rules; runs the health probe and the sinks' senders.</summary>
internal sealed class MonitoringService(
    MetricsCollector collector,
    HealthProbe probe,
    AlertEngine alerts,
    AlertDispatcher dispatcher,
    RecoveryRunner recovery,
    IOptions<MonitoringOptions> options,
    TimeProvider time,
    ILogger<MonitoringService> logger) : BackgroundService
{
    public override Task StartAsync(CancellationToken cancellationToken)
    {
        collector.Start();
        return base.StartAsync(cancellationToken);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var sending = dispatcher.RunAsync(stoppingToken);
        var probing = options.Value.HealthProbeInterval > TimeSpan.Zero && probe.Available ? ProbeLoopAsync(stoppingToken) : Task.CompletedTask;
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(1), time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
            {
                try
                {
                    collector.Tick();
                    alerts.Evaluate();
                }
#pragma warning disable CA1031 // One bad second must not end monitoring for the life of the host.
                catch (Exception e)
#pragma warning restore CA1031
                {
                    Log.TickFailed(logger, e);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }

        recovery.Stop();
        await Task.WhenAll(probing, sending).ConfigureAwait(false);
    }

    private async Task ProbeLoopAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.HealthProbeInterval, time);
        try
        {
            do
            {
                try
                {
                    await probe.ProbeAsync(stoppingToken).ConfigureAwait(false);
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    Log.ProbeFailed(logger, e);
                }
            }
            while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false));
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }
}
