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

/// <summary>A statement <c>pg_stat_statements</c> reports as slow.</summary>
/// <param name="Query">The normalised statement text (parameters are placeholders).</param>
/// <param name="Calls">How often it ran.</param>
/// <param name="MeanTime">Mean execution time.</param>
/// <param name="TotalTime">Total execution time.</param>
/// <param name="Rows">Rows returned or affected in total.</param>
/// <param name="CacheHitRate">Share of shared-buffer accesses served from cache, 0 to 1.</param>
public sealed record SlowStatement(string Query, long Calls, TimeSpan MeanTime, TimeSpan TotalTime, long Rows, double CacheHitRate);

/// <summary>One table's scan, cache and vacuum state.</summary>
/// <param name="Table">The table (partitions are listed on their own).</param>
/// <param name="LiveRows">Estimated live rows.</param>
/// <param name="DeadRowShare">Dead rows as a share of all rows, 0 to 1.</param>
/// <param name="IndexScanShare">Index scans as a share of all scans, 0 to 1, or <see langword="null"/> with no scans.</param>
/// <param name="LastVacuum">The last manual or automatic VACUUM.</param>
/// <param name="LastAnalyze">The last manual or automatic ANALYZE.</param>
public sealed record TableHealth(string Table, long LiveRows, double DeadRowShare, double? IndexScanShare, DateTimeOffset? LastVacuum, DateTimeOffset? LastAnalyze);

/// <summary>Catalog checks: unused and duplicate indexes, scan shares, cache-hit rates, vacuum state.</summary>
/// <param name="UnusedIndexes">Non-unique indexes never scanned since statistics were reset, with their size in bytes.</param>
/// <param name="DuplicateIndexes">Groups of indexes with the same table, columns, operator classes, expressions and predicate.</param>
/// <param name="LowIndexScanTables">Tables of at least <see cref="QueryAnalyzerOptions.LargeRelationRows"/> rows with under 90 % of scans using an index.</param>
/// <param name="HeapCacheHitRate">Table blocks served from shared buffers, 0 to 1 (<see langword="null"/> before any read).</param>
/// <param name="IndexCacheHitRate">Index blocks served from shared buffers, 0 to 1 (<see langword="null"/> before any read).</param>
/// <param name="Tables">Every EventKit table and partition.</param>
/// <param name="Suggestions">Concrete advice.</param>
public sealed record CatalogReport(
    IReadOnlyList<KeyValuePair<string, long>> UnusedIndexes,
    IReadOnlyList<IReadOnlyList<string>> DuplicateIndexes,
    IReadOnlyList<string> LowIndexScanTables,
    double? HeapCacheHitRate,
    double? IndexCacheHitRate,
    IReadOnlyList<TableHealth> Tables,
    IReadOnlyList<string> Suggestions);
