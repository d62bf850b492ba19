namespace EventKit.Monitoring;

/// <summary>
/// Something done automatically when a rule that names it (<see cref="AlertRuleOptions.Actions"/>) starts firing. The
/// engine runs it at most once per firing, never within <see cref="RecoveryOptions.Cooldown"/> of its last run for the
/// same rule, at most <see cref="RecoveryOptions.MaxPerHour"/> times an hour, and audits every decision.
/// </summary>
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
