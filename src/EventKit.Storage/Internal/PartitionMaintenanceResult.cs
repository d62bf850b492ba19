namespace EventKit.Storage.Internal;

/// <summary>What one maintenance round did.</summary>
internal sealed record PartitionMaintenanceResult(bool Ran, IReadOnlyList<string> Created, long RescuedRows, IReadOnlyList<string> Detached);
