namespace EventKit.Monitoring;

/// <summary>Options for EventKit.Monitoring (configuration section <c>EventKit:Monitoring</c> if you bind one).</summary>
public sealed class MonitoringOptions
{
    /// <summary>Whether ASP.NET Core's <c>http.server.request.duration</c> is monitored (by route template and status class).</summary>
    /// <remarks>Default: <see langword="true"/>.</remarks>
    public bool ListenToAspNetCore { get; set; } = true;

    /// <summary>Whether Npgsql's meter (pool usage, pending requests, command durations) is monitored.</summary>
    /// <remarks>Default: <see langword="true"/>.</remarks>
    public bool ListenToNpgsql { get; set; } = true;

    /// <summary>Whether the runtime's <c>System.Runtime</c> meter (GC, thread pool, working set) is monitored.</summary>
    /// <remarks>Default: <see langword="true"/>.</remarks>
    public bool ListenToRuntime { get; set; } = true;

    /// <summary>Whether CPU and memory utilisation come from Microsoft.Extensions.Diagnostics.ResourceMonitoring (aware of container limits).</summary>
    /// <remarks>Default: <see langword="true"/>.</remarks>
    public bool UseResourceMonitoring { get; set; } = true;

    /// <summary>Other meters to monitor, by name.</summary>
    /// <remarks>Default: none.</remarks>
    public List<string> AdditionalMeters { get; set; } = [];

    /// <summary>Most series one instrument may split into; further tag combinations share an <c>(other)</c> series.</summary>
    /// <remarks>Default: 200. Range: 1 to 10,000.</remarks>
    public int MaxSeriesPerInstrument { get; set; } = 200;

    /// <summary>How often the host's health checks run to feed <c>eventkit.health.status</c> (PostgreSQL and Redis alerts). Zero: never.</summary>
    /// <remarks>Default: 5 seconds. Range: zero, or 1 second to 10 minutes.</remarks>
    public TimeSpan HealthProbeInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Whether the built-in rules (API p95, error ratio, slow queries, hit ratio, CPU, memory, writer backlog, Redis, PostgreSQL, next partition, BLE clones) are evaluated.</summary>
    /// <remarks>Default: <see langword="true"/>. A rule in <see cref="Rules"/> with a built-in rule's name replaces it.</remarks>
    public bool IncludeBuiltInRules { get; set; } = true;

    /// <summary>Your alert rules.</summary>
    /// <remarks>Default: none.</remarks>
    public List<AlertRuleOptions> Rules { get; set; } = [];

    /// <summary>How many state changes the alert history keeps (oldest dropped first).</summary>
    /// <remarks>Default: 500. Range: 10 to 100,000.</remarks>
    public int HistoryLimit { get; set; } = 500;

    /// <summary>Whether alert notifications are logged (the log sink).</summary>
    /// <remarks>Default: <see langword="true"/>.</remarks>
    public bool LogAlerts { get; set; } = true;

    /// <summary>The webhook sink (Alertmanager-compatible JSON); off while <see cref="WebhookOptions.Url"/> is unset.</summary>
    public WebhookOptions Webhook { get; set; } = new();

    /// <summary>Recovery actions: dry run, cooldown, rate.</summary>
    public RecoveryOptions Recovery { get; set; } = new();

    /// <summary>Optimisation suggestions: schedule and the runtime source's thresholds.</summary>
    public SuggestionsOptions Suggestions { get; set; } = new();
}
