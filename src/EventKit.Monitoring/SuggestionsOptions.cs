namespace EventKit.Monitoring;

/// <summary>Optimisation suggestions (<see cref="ISuggestionAdvisor"/>, <c>GET /eventkit/suggestions</c>).</summary>
public sealed class SuggestionsOptions
{
    /// <summary>Whether the sources are asked on a schedule. <see cref="ISuggestionAdvisor.RefreshAsync"/> and the <c>analyze_queries</c> action work either way.</summary>
    /// <remarks>Default: <see langword="true"/>.</remarks>
    public bool Enabled { get; set; } = true;

    /// <summary>How long after start the first scheduled run happens (the windows need data first).</summary>
    /// <remarks>Default: 2 minutes. Range: zero to 1 hour.</remarks>
    public TimeSpan InitialDelay { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>Time between scheduled runs. The query analyzer runs EXPLAIN ANALYZE of the critical queries on the primary, one node at a time.</summary>
    /// <remarks>Default: 1 hour. Range: 1 minute to 1 day.</remarks>
    public TimeSpan Interval { get; set; } = TimeSpan.FromHours(1);

    /// <summary>When a source could not look (another node held the analyzer's lock), the next run comes this soon instead of after <see cref="Interval"/>.</summary>
    /// <remarks>Default: 1 minute. Range: 1 second to 1 hour.</remarks>
    public TimeSpan BusyRetryDelay { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>The runtime source suggests cache changes when the overall hit ratio over 15 minutes is below this (the seeds' target).</summary>
    /// <remarks>Default: 0.85. Range: 0 to 1.</remarks>
    public double CacheHitRatioTarget { get; set; } = 0.85;

    /// <summary>The fewest cache lookups in 15 minutes for the hit ratio to count.</summary>
    /// <remarks>Default: 1,000. Range: 1 to 1,000,000,000.</remarks>
    public long MinimumCacheLookups { get; set; } = 1_000;

    /// <summary>The runtime source flags a named query whose mean over 15 minutes is at least this (the seeds' 500 ms).</summary>
    /// <remarks>Default: 500 ms. Range: 1 ms to 1 minute.</remarks>
    public TimeSpan SlowQueryMean { get; set; } = TimeSpan.FromMilliseconds(500);
}
