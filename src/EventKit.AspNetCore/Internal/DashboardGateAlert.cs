using EventKit.Monitoring;

namespace EventKit.AspNetCore.Internal;

/// <summary>An alert shown on a gate's tile.</summary>
/// <param name="Name">The rule's name.</param>
/// <param name="State">Pending, firing or resolved.</param>
/// <param name="Severity">Its severity.</param>
internal sealed record DashboardGateAlert(string Name, AlertState State, AlertSeverity Severity);
