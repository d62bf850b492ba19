namespace EventKit.Monitoring;

/// <summary>One state change of one rule.</summary>
/// <param name="At">When.</param>
/// <param name="Name">The rule.</param>
/// <param name="From">The state before.</param>
/// <param name="To">The state after.</param>
/// <param name="Value">The value that caused it.</param>
/// <param name="Severity">The rule's severity.</param>
public sealed record AlertHistoryEntry(DateTimeOffset At, string Name, AlertState From, AlertState To, double? Value, AlertSeverity Severity);
