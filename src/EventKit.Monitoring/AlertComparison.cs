namespace EventKit.Monitoring;

/// <summary>How a rule's value is compared with its threshold.</summary>
public enum AlertComparison
{
    /// <summary>Active while the value is above the threshold.</summary>
    Above,

    /// <summary>Active while the value is below the threshold.</summary>
    Below,
}
