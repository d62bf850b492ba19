namespace EventKit.Storage;

/// <summary>One table's scan, cache and vacuum state.</summary>
/// <param name="Table">The table (partitions are listed on their own).</param>
/// <param name="LiveRows">Estimated live rows.</param>
/// <param name="DeadRowShare">Dead rows as a share of all rows, 0 to 1.</param>
/// <param name="IndexScanShare">Index scans as a share of all scans, 0 to 1, or <see langword="null"/> with no scans.</param>
/// <param name="LastVacuum">The last manual or automatic VACUUM.</param>
/// <param name="LastAnalyze">The last manual or automatic ANALYZE.</param>
public sealed record TableHealth(string Table, long LiveRows, double DeadRowShare, double? IndexScanShare, DateTimeOffset? LastVacuum, DateTimeOffset? LastAnalyze);
