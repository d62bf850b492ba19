namespace EventKit.Monitoring;

/// <summary>
/// Something done automatically when an alert rule that names it (<c>AlertRuleOptions.Actions</c>) starts firing. The
/// monitoring engine runs it at most once per firing, never within <c>Recovery:Cooldown</c> of its last run for the
/// same rule, at most <c>Recovery:MaxPerHour</c> times an hour, and audits every decision.
/// </summary>
/// <remarks>
/// Declared in EventKit.Core (namespace <c>EventKit.Monitoring</c>, as health checks' abstractions are) so that the
/// storage and caching packages can offer their own actions (<c>run_partition_maintenance</c>, <c>rewarm_caches</c>…)
/// without depending on EventKit.Monitoring; without monitoring they are registered and never run.
/// </remarks>
public interface IRecoveryAction
{
    /// <summary>The name rules use (<c>scale_out</c>).</summary>
    string Name { get; }

    /// <summary>Does it.</summary>
    /// <param name="context">The rule that fired and why.</param>
    /// <param name="cancellationToken">Cancelled when the host stops.</param>
    /// <returns>What was done, for the audit entry.</returns>
    ValueTask<RecoveryResult> ExecuteAsync(RecoveryContext context, CancellationToken cancellationToken);
}
