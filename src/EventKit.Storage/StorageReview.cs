namespace EventKit.Storage;

/// <summary>What <see cref="QueryAnalyzer.ReviewAsync"/> found: the critical queries' plans, the catalog's state, and the advice drawn from both and from the partitions.</summary>
/// <param name="At">When the review ran.</param>
/// <param name="Plans">The critical queries' plans (<see cref="QueryAnalyzer.AnalyzeCriticalQueriesAsync"/>).</param>
/// <param name="Catalog">The catalog checks (<see cref="QueryAnalyzer.CheckCatalogAsync"/>).</param>
/// <param name="Advice">What to change, most urgent first.</param>
public sealed record StorageReview(DateTimeOffset At, IReadOnlyList<QueryPlanReport> Plans, CatalogReport Catalog, IReadOnlyList<StorageAdvice> Advice);
