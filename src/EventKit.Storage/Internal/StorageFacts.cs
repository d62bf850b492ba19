namespace EventKit.Storage.Internal;

/// <summary>What one review read from the database, for <see cref="StorageAdvisor"/>.</summary>
/// <param name="Now">When.</param>
/// <param name="Plans">The critical queries' plans.</param>
/// <param name="Catalog">The catalog checks.</param>
/// <param name="Tables">Tables of the current schema.</param>
/// <param name="Indexes">Index name → table, of the current schema.</param>
/// <param name="Partitions">The ranged partitions of <c>attendance_records</c>.</param>
/// <param name="PartitionMonths">Months per partition.</param>
/// <param name="MaintenanceEnabled">Whether this node runs partition maintenance.</param>
/// <param name="SharedBuffersBytes"><c>shared_buffers</c>.</param>
/// <param name="BlocksRead">Table and index blocks of EventKit's tables read from outside shared buffers since statistics were reset.</param>
internal sealed record StorageFacts(
    DateTimeOffset Now,
    IReadOnlyList<QueryPlanReport> Plans,
    CatalogReport Catalog,
    IReadOnlySet<string> Tables,
    IReadOnlyDictionary<string, string> Indexes,
    IReadOnlyList<PartitionMaintainer.PartitionInfo> Partitions,
    int PartitionMonths,
    bool MaintenanceEnabled,
    long SharedBuffersBytes,
    long BlocksRead);
