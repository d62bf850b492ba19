namespace EventKit.Monitoring;

/// <summary>The alert engine's state: every rule's status, the history of state changes, silences, and the recovery audit.</summary>
public interface IAlertManager
{
    /// <summary>Every enabled rule (and raised alert) with its current state, firing ones first.</summary>
    /// <returns>The statuses.</returns>
    IReadOnlyList<AlertStatus> GetAlerts();

    /// <summary>State changes, newest first (bounded by <see cref="MonitoringOptions.HistoryLimit"/>).</summary>
    /// <returns>The history.</returns>
    IReadOnlyList<AlertHistoryEntry> GetHistory();

    /// <summary>Recovery actions taken, skipped or dry-run, newest first.</summary>
    /// <returns>The audit entries.</returns>
    IReadOnlyList<RecoveryAuditEntry> GetRecoveryAudit();

    /// <summary>Silences not yet expired.</summary>
    /// <returns>The silences.</returns>
    IReadOnlyList<AlertSilence> GetSilences();

    /// <summary>Suppresses notifications of the alerts whose labels include every one of <paramref name="matchers"/> (<c>alertname</c>, <c>severity</c>, your labels) until it expires.</summary>
    /// <param name="matchers">Label name → value; at least one.</param>
    /// <param name="duration">How long, 1 minute to 7 days.</param>
    /// <param name="comment">Why, for the next person.</param>
    /// <returns>The silence.</returns>
    AlertSilence AddSilence(IReadOnlyDictionary<string, string> matchers, TimeSpan duration, string? comment);
}
