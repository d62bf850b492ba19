namespace EventKit.Monitoring.Internal;

/// <summary>Registered once by <c>AddMonitoring()</c> so a second call adds nothing.</summary>
internal sealed class MonitoringMarker;
