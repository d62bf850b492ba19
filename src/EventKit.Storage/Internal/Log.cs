using Microsoft.Extensions.Logging;

namespace EventKit.Storage.Internal;

/// <summary>Every log message of EventKit.Storage. None carries parameter values, tokens, e-mails or keys.</summary>
internal static partial class Log
{
    [LoggerMessage(EventId = 3001, Level = LogLevel.Warning, Message = "Slow query {QueryName}: {ElapsedMs:F1} ms (threshold {ThresholdMs:F0} ms).")]
    public static partial void SlowQuery(ILogger logger, string queryName, double elapsedMs, double thresholdMs);

    [LoggerMessage(EventId = 3002, Level = LogLevel.Information, Message = "Applied schema migration {Version} ({Name}) in {ElapsedMs:F0} ms.")]
    public static partial void MigrationApplied(ILogger logger, int version, string name, double elapsedMs);

    [LoggerMessage(EventId = 3003, Level = LogLevel.Debug, Message = "Schema is up to date at version {Version}.")]
    public static partial void SchemaUpToDate(ILogger logger, int version);

    [LoggerMessage(EventId = 3004, Level = LogLevel.Warning, Message = "Dropping index {IndexName} left invalid by an interrupted migration; it is rebuilt now.")]
    public static partial void DroppingInvalidIndex(ILogger logger, string indexName);

    [LoggerMessage(EventId = 3010, Level = LogLevel.Warning, Message = "Attendance batch of {Count} records failed (attempt {Attempt}); retrying in {DelayMs:F0} ms.")]
    public static partial void BatchRetry(ILogger logger, Exception exception, int count, int attempt, double delayMs);

    [LoggerMessage(EventId = 3011, Level = LogLevel.Error, Message = "Attendance batch of {Count} records failed after {Attempts} attempts; its callers get EventKitUnavailableException.")]
    public static partial void BatchGaveUp(ILogger logger, Exception exception, int count, int attempts);

    [LoggerMessage(EventId = 3012, Level = LogLevel.Error, Message = "Attendance batch of {Count} records failed permanently.")]
    public static partial void BatchFailed(ILogger logger, Exception exception, int count);

    [LoggerMessage(EventId = 3013, Level = LogLevel.Information, Message = "Attendance writer drained: {Count} queued appends written on shutdown.")]
    public static partial void WriterDrained(ILogger logger, int count);

    [LoggerMessage(EventId = 3020, Level = LogLevel.Information, Message = "Created partition {Partition} ({RescuedRows} rows moved in from the default partition).")]
    public static partial void PartitionCreated(ILogger logger, string partition, long rescuedRows);

    [LoggerMessage(EventId = 3021, Level = LogLevel.Information, Message = "Detached partition {Partition} (past retention); dropped: {Dropped}.")]
    public static partial void PartitionDetached(ILogger logger, string partition, bool dropped);

    [LoggerMessage(EventId = 3022, Level = LogLevel.Warning, Message = "Partition maintenance step failed; it runs again next interval.")]
    public static partial void MaintenanceFailed(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 3023, Level = LogLevel.Debug, Message = "Another node holds the maintenance lock; skipping this round.")]
    public static partial void MaintenanceLockBusy(ILogger logger);

    [LoggerMessage(EventId = 3024, Level = LogLevel.Information, Message = "VACUUM (ANALYZE) of {Table} took {ElapsedMs:F0} ms.")]
    public static partial void Vacuumed(ILogger logger, string table, double elapsedMs);

    [LoggerMessage(EventId = 3025, Level = LogLevel.Warning, Message = "Moved {Rows} rows from the default partition into {Partition}.")]
    public static partial void RowsRescued(ILogger logger, long rows, string partition);
}
