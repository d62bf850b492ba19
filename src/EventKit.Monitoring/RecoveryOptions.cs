namespace EventKit.Monitoring;

/// <summary>Limits on automatic recovery actions.</summary>
public sealed class RecoveryOptions
{
    /// <summary>Whether actions only record what they would do (audit entry "dry run") instead of doing it.</summary>
    /// <remarks>Default: <see langword="false"/>.</remarks>
    public bool DryRun { get; set; }

    /// <summary>Least time between two runs of the same action for the same rule.</summary>
    /// <remarks>Default: 5 minutes. Range: zero to 1 day.</remarks>
    public TimeSpan Cooldown { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Most runs of one action for one rule in any hour.</summary>
    /// <remarks>Default: 4. Range: 1 to 1,000.</remarks>
    public int MaxPerHour { get; set; } = 4;

    /// <summary>Whether the built-in <c>graceful_restart</c> action (memory &gt; 90 %) may stop the host. Only for orchestrated deployments that restart it.</summary>
    /// <remarks>Default: <see langword="false"/>: the rule still fires, the action is audited as disabled.</remarks>
    public bool AllowGracefulRestart { get; set; }

    /// <summary>How many audit entries are kept (oldest dropped first).</summary>
    /// <remarks>Default: 200. Range: 10 to 100,000.</remarks>
    public int AuditLimit { get; set; } = 200;
}
