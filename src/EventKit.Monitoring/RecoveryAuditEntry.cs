namespace EventKit.Monitoring;

/// <summary>One recovery decision: what, why, result.</summary>
/// <param name="At">When it was decided.</param>
/// <param name="Action">The action's name.</param>
/// <param name="Rule">The rule that fired.</param>
/// <param name="Value">The rule's value.</param>
/// <param name="Outcome">What happened.</param>
/// <param name="Detail">Details: the action's own words, or why it did not run.</param>
public sealed record RecoveryAuditEntry(DateTimeOffset At, string Action, string Rule, double? Value, RecoveryOutcome Outcome, string Detail);
