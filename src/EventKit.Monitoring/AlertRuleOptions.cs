namespace EventKit.Monitoring;

/// <summary>One alert rule, as data: bind it from configuration (<c>EventKit:Monitoring:Rules:0:Name</c>, …) or add it in code.</summary>
public sealed class AlertRuleOptions
{
    /// <summary>The rule's name, unique (<c>api_p95_high</c>); it is the <c>alertname</c> label.</summary>
    /// <remarks>Required.</remarks>
    public string Name { get; set; } = "";

    /// <summary>What the alert says, for people.</summary>
    /// <remarks>Default: empty.</remarks>
    public string Summary { get; set; } = "";

    /// <summary>What is computed.</summary>
    /// <remarks>Default: <see cref="AlertExpression.Gauge"/>.</remarks>
    public AlertExpression Expression { get; set; } = AlertExpression.Gauge;

    /// <summary>The instrument read (<c>http.server.request.duration</c>, <c>eventkit.cache.l2.circuit.state</c>, …).</summary>
    /// <remarks>Required.</remarks>
    public string Instrument { get; set; } = "";

    /// <summary>Tags a series must carry to count (for <see cref="AlertExpression.Ratio"/>: the denominator's).</summary>
    /// <remarks>Default: none (every series of the instrument).</remarks>
    public Dictionary<string, string> Tags { get; set; } = [];

    /// <summary>For <see cref="AlertExpression.Ratio"/>: tags the numerator's series carry (on the same instrument).</summary>
    /// <remarks>Default: none.</remarks>
    public Dictionary<string, string> NumeratorTags { get; set; } = [];

    /// <summary>For <see cref="AlertExpression.Quantile"/>: the quantile, 0 to 1.</summary>
    /// <remarks>Default: 0.95.</remarks>
    public double Quantile { get; set; } = 0.95;

    /// <summary>For ratios, quantiles and means: the fewest values in the window for the rule to judge (fewer: no value, inactive).</summary>
    /// <remarks>Default: 1.</remarks>
    public long MinimumCount { get; set; } = 1;

    /// <summary>The window the expression reads, 1 s to 15 min.</summary>
    /// <remarks>Default: 1 minute.</remarks>
    public TimeSpan Window { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>How the value is compared with <see cref="Threshold"/>.</summary>
    /// <remarks>Default: <see cref="AlertComparison.Above"/>.</remarks>
    public AlertComparison Comparison { get; set; } = AlertComparison.Above;

    /// <summary>The threshold.</summary>
    /// <remarks>Default: 0.</remarks>
    public double Threshold { get; set; }

    /// <summary>Hysteresis: once firing, the condition counts as holding until the value crosses this instead of <see cref="Threshold"/>.</summary>
    /// <remarks>Default: <see langword="null"/> (the threshold).</remarks>
    public double? ResolveThreshold { get; set; }

    /// <summary>How long the condition must hold before the alert fires (Prometheus' <c>for</c>).</summary>
    /// <remarks>Default: zero (fires at once).</remarks>
    public TimeSpan For { get; set; }

    /// <summary>How long the alert keeps firing after the condition stops holding (Prometheus' <c>keep_firing_for</c>).</summary>
    /// <remarks>Default: zero.</remarks>
    public TimeSpan KeepFiringFor { get; set; }

    /// <summary>The severity.</summary>
    /// <remarks>Default: <see cref="AlertSeverity.Warning"/>.</remarks>
    public AlertSeverity Severity { get; set; } = AlertSeverity.Warning;

    /// <summary>Extra labels sent with the alert (<c>team</c>, <c>runbook</c>…).</summary>
    /// <remarks>Default: none.</remarks>
    public Dictionary<string, string> Labels { get; set; } = [];

    /// <summary>Rules whose notifications are suppressed while this one fires (a database outage inhibits "API slow").</summary>
    /// <remarks>Default: none.</remarks>
    public List<string> Inhibits { get; set; } = [];

    /// <summary>Recovery actions run when the alert starts firing, by name (see <see cref="RecoveryActionNames"/>).</summary>
    /// <remarks>Default: none.</remarks>
    public List<string> Actions { get; set; } = [];

    /// <summary>Whether the rule is evaluated (switch a built-in rule off by adding one with its name and <see langword="false"/>).</summary>
    /// <remarks>Default: <see langword="true"/>.</remarks>
    public bool Enabled { get; set; } = true;
}
