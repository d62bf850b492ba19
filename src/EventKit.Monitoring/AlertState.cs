namespace EventKit.Monitoring;

/// <summary>Where a rule is in its life cycle (Prometheus' states plus resolved).</summary>
public enum AlertState
{
    /// <summary>The condition does not hold.</summary>
    Inactive,

    /// <summary>The condition holds, for less than the rule's <c>For</c>.</summary>
    Pending,

    /// <summary>The condition has held for <c>For</c> (or stopped holding less than <c>KeepFiringFor</c> ago).</summary>
    Firing,

    /// <summary>It was firing and no longer is (until the condition holds again).</summary>
    Resolved,
}
