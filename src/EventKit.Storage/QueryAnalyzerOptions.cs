namespace EventKit.Storage;

/// <summary>Options of <see cref="QueryAnalyzer"/>.</summary>
public sealed class QueryAnalyzerOptions
{
    /// <summary>The <c>statement_timeout</c> of each analysed query (EXPLAIN ANALYZE runs it).</summary>
    /// <remarks>Default 10 s. 100 ms to 10 min.</remarks>
    public TimeSpan StatementTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary><c>pg_stat_statements</c> entries with at least this mean time are reported as slow.</summary>
    /// <remarks>Default 20 ms. 0 to 1 h.</remarks>
    public TimeSpan SlowMeanTime { get; set; } = TimeSpan.FromMilliseconds(20);

    /// <summary><c>pg_stat_statements</c> entries with fewer calls than this are not reported.</summary>
    /// <remarks>Default 100. 1 to 1,000,000,000.</remarks>
    public long SlowMinCalls { get; set; } = 100;

    /// <summary>A sequential scan of a relation with at least this many rows is flagged.</summary>
    /// <remarks>Default 10,000. 0 to 1,000,000,000.</remarks>
    public long LargeRelationRows { get; set; } = 10_000;
}
