namespace EventKit.Monitoring;

/// <summary>How a recovery decision ended.</summary>
public enum RecoveryOutcome
{
    /// <summary>The action ran and succeeded.</summary>
    Succeeded,

    /// <summary>The action ran and failed (or threw).</summary>
    Failed,

    /// <summary>Dry run: recorded what would have run.</summary>
    DryRun,

    /// <summary>Not run: within the cooldown of its last run.</summary>
    Cooldown,

    /// <summary>Not run: the hourly maximum was reached.</summary>
    RateLimited,

    /// <summary>Not run: no action of that name is registered.</summary>
    Unknown,

    /// <summary>Started; the result is not in yet.</summary>
    Running,
}
