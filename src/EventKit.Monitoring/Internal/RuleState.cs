namespace EventKit.Monitoring.Internal;

/// <summary>One rule's mutable state; owned by <see cref="AlertEngine"/> and touched only under its lock.</summary>
internal sealed class RuleState
{
    public RuleState(AlertRuleOptions rule, string? parent = null)
    {
        Rule = rule;
        Parent = parent;
        var labels = new Dictionary<string, string>(rule.Labels, StringComparer.Ordinal)
        {
            ["alertname"] = rule.Name,
            ["severity"] = rule.Severity.ToString().ToLowerInvariant(),
        };
        Labels = labels;
    }

    public AlertRuleOptions Rule { get; }

    /// <summary>For alerts raised by a recovery action: the rule whose firing they follow.</summary>
    public string? Parent { get; }

    public IReadOnlyDictionary<string, string> Labels { get; }

    public AlertState State { get; set; }

    public double? Value { get; set; }

    public DateTimeOffset? ActiveSince { get; set; }

    public DateTimeOffset? FiringSince { get; set; }

    public DateTimeOffset LastActive { get; set; }

    public bool Inhibited { get; set; }
}
