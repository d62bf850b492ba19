using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace EventKit.Monitoring.Internal;

/// <summary>
/// The built-in <c>graceful_restart</c> action: readiness turns unhealthy (the balancer stops sending), in-flight
/// requests get <see cref="DrainTime"/> to finish, then the host stops and the orchestrator restarts it. Disabled unless
/// <see cref="RecoveryOptions.AllowGracefulRestart"/>.
/// </summary>
internal sealed class GracefulRestartAction(IOptions<MonitoringOptions> options, IServiceProvider services, TimeProvider time) : IRecoveryAction, IHealthCheck
{
    public static readonly TimeSpan DrainTime = TimeSpan.FromSeconds(15);

    private volatile bool _draining;

    public string Name => RecoveryActionNames.GracefulRestart;

    public async ValueTask<RecoveryResult> ExecuteAsync(RecoveryContext context, CancellationToken cancellationToken)
    {
        if (!options.Value.Recovery.AllowGracefulRestart)
        {
            return new RecoveryResult(false, "Graceful restart is disabled (EventKit:Monitoring:Recovery:AllowGracefulRestart); restart the node by hand.");
        }

        if (services.GetService(typeof(IHostApplicationLifetime)) is not IHostApplicationLifetime lifetime)
        {
            return new RecoveryResult(false, "Not running in a host (no IHostApplicationLifetime); nothing to restart.");
        }

        _draining = true;
        await Task.Delay(DrainTime, time, cancellationToken).ConfigureAwait(false);
        lifetime.StopApplication();
        return new RecoveryResult(true, $"Readiness failed, drained for {DrainTime.TotalSeconds:0} s, host stopping for the orchestrator to restart it.");
    }

    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(_draining ? HealthCheckResult.Unhealthy("Draining before a graceful restart.") : HealthCheckResult.Healthy());
}
