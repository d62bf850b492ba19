namespace EventKit.Monitoring.Internal;

internal sealed partial class AlertEngine
{
    public IReadOnlyList<AlertStatus> GetAlerts()
    {
        var now = _time.GetUtcNow();
        lock (_gate)
        {
            var result = new List<AlertStatus>(_rules.Count);
            foreach (var rule in _rules)
            {
                result.Add(new AlertStatus(
                    rule.Rule.Name,
                    rule.Rule.Summary,
                    rule.Rule.Severity,
                    rule.State,
                    rule.Value,
                    rule.Rule.Threshold,
                    rule.ActiveSince,
                    rule.FiringSince,
                    rule.Labels,
                    rule.Inhibited,
                    Silenced(rule, now)));
            }

            result.Sort(static (x, y) =>
            {
                var byState = Order(x).CompareTo(Order(y));
                return byState != 0 ? byState : string.CompareOrdinal(x.Name, y.Name);
            });
            return result;
        }
    }

    public IReadOnlyList<AlertHistoryEntry> GetHistory()
    {
        lock (_gate)
        {
            return [.. _history];
        }
    }

    public IReadOnlyList<RecoveryAuditEntry> GetRecoveryAudit() => _recovery.GetAudit();

    public IReadOnlyList<AlertSilence> GetSilences()
    {
        var now = _time.GetUtcNow();
        lock (_gate)
        {
            _silences.RemoveAll(s => s.EndsAt <= now);
            return [.. _silences];
        }
    }

    public AlertSilence AddSilence(IReadOnlyDictionary<string, string> matchers, TimeSpan duration, string? comment)
    {
        ArgumentNullException.ThrowIfNull(matchers);
        if (matchers.Count == 0)
        {
            throw new ArgumentException("A silence needs at least one matcher (for example alertname).", nameof(matchers));
        }

        ArgumentOutOfRangeException.ThrowIfLessThan(duration, TimeSpan.FromMinutes(1));
        ArgumentOutOfRangeException.ThrowIfGreaterThan(duration, TimeSpan.FromDays(7));
        var now = _time.GetUtcNow();
        var silence = new AlertSilence(Guid.NewGuid(), new Dictionary<string, string>(matchers, StringComparer.Ordinal), now, now + duration, comment);
        lock (_gate)
        {
            _silences.Add(silence);
        }

        return silence;
    }

    private bool Silenced(RuleState rule, DateTimeOffset now)
    {
        foreach (var silence in _silences)
        {
            if (silence.EndsAt <= now)
            {
                continue;
            }

            var all = true;
            foreach (var (name, value) in silence.Matchers)
            {
                if (!rule.Labels.TryGetValue(name, out var actual) || !string.Equals(actual, value, StringComparison.Ordinal))
                {
                    all = false;
                    break;
                }
            }

            if (all)
            {
                return true;
            }
        }

        return false;
    }

    private static int Order(AlertStatus status) => status.State switch
    {
        AlertState.Firing => 0,
        AlertState.Pending => 1,
        AlertState.Resolved => 2,
        _ => 3,
    };
}
