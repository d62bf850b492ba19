namespace EventKit.Monitoring;

/// <summary>One rule's current state.</summary>
/// <param name="Name">The rule's name (<c>alertname</c>).</param>
/// <param name="Summary">What it means, for people.</param>
/// <param name="Severity">Its severity.</param>
/// <param name="State">Where it is in its life cycle.</param>
/// <param name="Value">The value last computed (<see langword="null"/>: no data in the window).</param>
/// <param name="Threshold">The threshold it is compared with.</param>
/// <param name="ActiveSince">When the condition started holding (pending or firing), else <see langword="null"/>.</param>
/// <param name="FiringSince">When it started firing, else <see langword="null"/>.</param>
/// <param name="Labels">Its labels, <c>alertname</c> and <c>severity</c> included.</param>
/// <param name="Inhibited">Whether a firing rule inhibits its notifications.</param>
/// <param name="Silenced">Whether a silence matches it.</param>
public sealed record AlertStatus(
    string Name,
    string Summary,
    AlertSeverity Severity,
    AlertState State,
    double? Value,
    double Threshold,
    DateTimeOffset? ActiveSince,
    DateTimeOffset? FiringSince,
    IReadOnlyDictionary<string, string> Labels,
    bool Inhibited,
    bool Silenced);
