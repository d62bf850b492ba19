namespace EventKit.Monitoring;

/// <summary>Why a recovery action runs.</summary>
/// <param name="RuleName">The rule that started firing.</param>
/// <param name="Value">Its value.</param>
/// <param name="Threshold">Its threshold.</param>
/// <param name="Severity">Its severity.</param>
/// <param name="FiredAt">When it started firing.</param>
public sealed record RecoveryContext(string RuleName, double? Value, double Threshold, AlertSeverity Severity, DateTimeOffset FiredAt);
