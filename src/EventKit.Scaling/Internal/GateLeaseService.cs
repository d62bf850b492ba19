using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace EventKit.Scaling.Internal;

/// <summary>Renews the gate leases every heartbeat interval and lets them go at shutdown (<see cref="GateLeaseManager"/>).</summary>
internal sealed class GateLeaseService(GateLeaseManager leases, IOptions<ScalingOptions> options, TimeProvider time, ILogger<GateLeaseService> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await Task.Yield();
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await leases.RenewOnceAsync(stoppingToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                // A failed round must not end the renewals: the leases' validity runs out on its own.
                Log.LoopFailed(logger, "gate leases", e);
            }

            try
            {
                await Task.Delay(RenewInterval(options.Value), time, stoppingToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    /// <summary>Every heartbeat, or three times per (lease duration − safety margin) when that is shorter.</summary>
    internal static TimeSpan RenewInterval(ScalingOptions options)
    {
        var third = (options.GateLeaseDuration - options.GateLeaseSafetyMargin) / 3;
        return third < options.HeartbeatInterval ? third : options.HeartbeatInterval;
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken).ConfigureAwait(false);
        await leases.StopAsync(cancellationToken).ConfigureAwait(false);
    }
}
