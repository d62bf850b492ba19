namespace EventKit.Storage;

/// <summary>Options of partition maintenance and scheduled VACUUM/ANALYZE.</summary>
public sealed class StorageMaintenanceOptions
{
    /// <summary>Whether the maintenance hosted service runs on this node (it takes an advisory lock, so one node at a time does the work).</summary>
    /// <remarks>Default <see langword="true"/>.</remarks>
    public bool Enabled { get; set; } = true;

    /// <summary>The months each <c>attendance_records</c> partition spans: 3 is one partition per quarter.</summary>
    /// <remarks>Default 3. One of 1, 2, 3, 4, 6, 12 (partitions align with the calendar year). Changing it later leaves existing partitions as they are.</remarks>
    public int PartitionMonths { get; set; } = 3;

    /// <summary>How many partitions after the current one are kept created.</summary>
    /// <remarks>Default 4. 1 to 40.</remarks>
    public int PartitionsAhead { get; set; } = 4;

    /// <summary>Partitions that ended longer ago than this are detached. <see langword="null"/> keeps everything.</summary>
    /// <remarks>Default <see langword="null"/>. At least 1 day.</remarks>
    public TimeSpan? Retention { get; set; }

    /// <summary>Whether detached partitions are dropped (otherwise they stay as plain tables for archiving).</summary>
    /// <remarks>Default <see langword="false"/>.</remarks>
    public bool DropDetachedPartitions { get; set; }

    /// <summary>How often partitions are checked.</summary>
    /// <remarks>Default 1 h. 1 min to 7 days.</remarks>
    public TimeSpan Interval { get; set; } = TimeSpan.FromHours(1);

    /// <summary>How often EventKit's tables get <c>VACUUM (ANALYZE)</c>. <see cref="TimeSpan.Zero"/> leaves it to autovacuum.</summary>
    /// <remarks>Default 6 h. 0 or 1 min to 7 days.</remarks>
    public TimeSpan VacuumInterval { get; set; } = TimeSpan.FromHours(6);

    /// <summary>The <c>lock_timeout</c> of maintenance statements, so they never queue ingestion behind them for long.</summary>
    /// <remarks>Default 2 s. 10 ms to 1 min.</remarks>
    public TimeSpan LockTimeout { get; set; } = TimeSpan.FromSeconds(2);
}
