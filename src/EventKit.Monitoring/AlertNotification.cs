namespace EventKit.Monitoring;

/// <summary>What a sink receives when an alert starts firing or resolves.</summary>
/// <param name="Name">The rule's name.</param>
/// <param name="Firing"><see langword="true"/> when it started firing, <see langword="false"/> when it resolved.</param>
/// <param name="Severity">Its severity.</param>
/// <param name="Summary">What it means.</param>
/// <param name="Value">The value at the change.</param>
/// <param name="Threshold">The rule's threshold.</param>
/// <param name="Labels">Its labels, <c>alertname</c> and <c>severity</c> included.</param>
/// <param name="StartsAt">When it started firing.</param>
/// <param name="EndsAt">When it resolved (<see langword="null"/> while firing).</param>
public sealed record AlertNotification(
    string Name,
    bool Firing,
    AlertSeverity Severity,
    string Summary,
    double? Value,
    double Threshold,
    IReadOnlyDictionary<string, string> Labels,
    DateTimeOffset StartsAt,
    DateTimeOffset? EndsAt);
