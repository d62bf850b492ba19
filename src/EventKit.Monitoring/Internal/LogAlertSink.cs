using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace EventKit.Monitoring.Internal;

/// <summary>Writes alert notifications to the log (firing: warning, resolved: information). Off with <see cref="MonitoringOptions.LogAlerts"/>.</summary>
internal sealed class LogAlertSink(IOptions<MonitoringOptions> options, ILogger<LogAlertSink> logger) : IAlertSink
{
    public ValueTask SendAsync(AlertNotification notification, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(notification);
        if (!options.Value.LogAlerts)
        {
            return ValueTask.CompletedTask;
        }

        if (notification.Firing)
        {
            Log.AlertFiring(logger, notification.Name, notification.Severity, notification.Summary, notification.Value, notification.Threshold);
        }
        else
        {
            Log.AlertResolved(logger, notification.Name, notification.Severity, notification.Value);
        }

        return ValueTask.CompletedTask;
    }
}
