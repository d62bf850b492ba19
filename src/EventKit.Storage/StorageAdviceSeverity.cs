namespace EventKit.Storage;

/// <summary>How urgent a piece of <see cref="StorageAdvice"/> is.</summary>
public enum StorageAdviceSeverity
{
    /// <summary>Worth doing when convenient (an unused index, a table never analysed).</summary>
    Info,

    /// <summary>Costs time on every call or grows worse (a sequential scan, dead rows, a duplicate index).</summary>
    Warning,

    /// <summary>Will hurt soon (an index a critical query needs is missing, the next partition is missing days before it is needed).</summary>
    Critical,
}
