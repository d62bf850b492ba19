namespace EventKit.Monitoring;

/// <summary>How urgent an alert is.</summary>
public enum AlertSeverity
{
    /// <summary>Worth knowing; nobody needs to act now.</summary>
    Info,

    /// <summary>Degraded; someone should look during the event.</summary>
    Warning,

    /// <summary>Check-ins are failing or about to; act now.</summary>
    Critical,
}
