namespace EventKit.Monitoring;

/// <summary>
/// Receives alert notifications. Each sink has its own bounded queue and sender, so a slow sink delays only itself
/// and nothing waits on the request path. Register one with <c>services.TryAddEnumerable(ServiceDescriptor.Singleton&lt;IAlertSink, MySink&gt;())</c>.
/// </summary>
public interface IAlertSink
{
    /// <summary>Delivers one notification; throwing logs the failure and drops it (retry inside if it matters).</summary>
    /// <param name="notification">The notification.</param>
    /// <param name="cancellationToken">Cancelled when the host stops.</param>
    /// <returns>A task that completes when delivered.</returns>
    ValueTask SendAsync(AlertNotification notification, CancellationToken cancellationToken);
}
