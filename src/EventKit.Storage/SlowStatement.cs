namespace EventKit.Storage;

/// <summary>A statement <c>pg_stat_statements</c> reports as slow.</summary>
/// <param name="Query">The normalised statement text (parameters are placeholders).</param>
/// <param name="Calls">How often it ran.</param>
/// <param name="MeanTime">Mean execution time.</param>
/// <param name="TotalTime">Total execution time.</param>
/// <param name="Rows">Rows returned or affected in total.</param>
/// <param name="CacheHitRate">Share of shared-buffer accesses served from cache, 0 to 1.</param>
public sealed record SlowStatement(string Query, long Calls, TimeSpan MeanTime, TimeSpan TotalTime, long Rows, double CacheHitRate);
