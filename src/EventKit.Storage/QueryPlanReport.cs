namespace EventKit.Storage;

/// <summary>What <c>EXPLAIN (ANALYZE, BUFFERS)</c> says about one query.</summary>
/// <param name="Name">The query's name.</param>
/// <param name="PlanningTime">Planning time.</param>
/// <param name="ExecutionTime">Execution time (the query really ran, inside a rolled-back transaction).</param>
/// <param name="IndexesUsed">Indexes the plan scanned.</param>
/// <param name="SequentialScans">Relations read by a sequential scan whose size is at least <see cref="QueryAnalyzerOptions.LargeRelationRows"/>.</param>
/// <param name="SharedHitBlocks">Shared buffers found in cache.</param>
/// <param name="SharedReadBlocks">Shared buffers read from disk (or the OS cache).</param>
/// <param name="PartitionsScanned">Partitions of <c>attendance_records</c> the plan touched.</param>
/// <param name="PartitionsTotal">Partitions <c>attendance_records</c> has (including the default one).</param>
/// <param name="Suggestions">Concrete advice, empty when the plan looks right.</param>
/// <param name="PlanJson">The raw JSON plan.</param>
public sealed record QueryPlanReport(
    string Name,
    TimeSpan PlanningTime,
    TimeSpan ExecutionTime,
    IReadOnlyList<string> IndexesUsed,
    IReadOnlyList<string> SequentialScans,
    long SharedHitBlocks,
    long SharedReadBlocks,
    int PartitionsScanned,
    int PartitionsTotal,
    IReadOnlyList<string> Suggestions,
    string PlanJson)
{
    /// <summary>Partitions the planner or executor skipped.</summary>
    public int PartitionsPruned => Math.Max(0, PartitionsTotal - PartitionsScanned);
}
