namespace EventKit.Storage;

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
