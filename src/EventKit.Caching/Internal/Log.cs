using Microsoft.Extensions.Logging;

namespace EventKit.Caching.Internal;

/// <summary>Every log message of EventKit.Caching. Keys are never logged (they can carry credential hashes); prefixes and tags are.</summary>
internal static partial class Log
{
    [LoggerMessage(EventId = 4001, Level = LogLevel.Warning, Message = "L2 (Redis) call failed; serving from L1/the factory instead ({ErrorType}).")]
    public static partial void L2CallFailed(ILogger logger, string errorType, Exception exception);

    [LoggerMessage(EventId = 4002, Level = LogLevel.Warning, Message = "L2 circuit opened after repeated errors; Redis is skipped for {BreakDuration}.")]
    public static partial void CircuitOpened(ILogger logger, TimeSpan breakDuration);

    [LoggerMessage(EventId = 4003, Level = LogLevel.Information, Message = "L2 circuit closed: Redis answers again.")]
    public static partial void CircuitClosed(ILogger logger);

    [LoggerMessage(EventId = 4004, Level = LogLevel.Warning, Message = "A value of type {Type} serialized to {Bytes} bytes, above EventKit:Caching:MaximumPayloadBytes ({Limit}); it is kept in L1 only.")]
    public static partial void PayloadTooLarge(ILogger logger, string type, int bytes, int limit);

    [LoggerMessage(EventId = 4005, Level = LogLevel.Warning, Message = "The factory failed; serving a stale value expired {Staleness} ago.")]
    public static partial void ServingStale(ILogger logger, TimeSpan staleness, Exception exception);

    [LoggerMessage(EventId = 4006, Level = LogLevel.Warning, Message = "An L2 value of type {Type} could not be read; treating it as a miss.")]
    public static partial void L2ValueUnreadable(ILogger logger, string type, Exception exception);

    [LoggerMessage(EventId = 4007, Level = LogLevel.Information, Message = "Redis connection restored; L1 cleared and tag invalidations re-read, since backplane messages may have been lost.")]
    public static partial void ConnectionRestored(ILogger logger);

    [LoggerMessage(EventId = 4008, Level = LogLevel.Warning, Message = "Memory load {Load:P0} is above EventKit:Caching:MemoryCompactionThreshold ({Threshold:P0}); compacting L1 by {Percentage:P0}.")]
    public static partial void CompactingL1(ILogger logger, double load, double threshold, double percentage);

    [LoggerMessage(EventId = 4009, Level = LogLevel.Warning, Message = "Backplane message could not be handled.")]
    public static partial void BackplaneMessageFailed(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 4010, Level = LogLevel.Information, Message = "Removed {Count} L2 keys with prefix '{Prefix}'.")]
    public static partial void RemovedByPrefix(ILogger logger, long count, string prefix);

    [LoggerMessage(EventId = 4011, Level = LogLevel.Error, Message = "Cache warmer {Warmer} failed.")]
    public static partial void WarmerFailed(ILogger logger, string warmer, Exception exception);

    [LoggerMessage(EventId = 4012, Level = LogLevel.Information, Message = "Cache warmers ran: {Count} in {Elapsed}.")]
    public static partial void WarmersRan(ILogger logger, int count, TimeSpan elapsed);

    [LoggerMessage(EventId = 4013, Level = LogLevel.Warning, Message = "Eager refresh failed; the current value stays until it expires.")]
    public static partial void EagerRefreshFailed(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 4015, Level = LogLevel.Error, Message = "More than 10,000 invalidations are waiting for Redis; the oldest {Dropped} were dropped since the last report, so their L2 entries live until they expire.")]
    public static partial void DeferredInvalidationsDropped(ILogger logger, long dropped);

    [LoggerMessage(EventId = 4014, Level = LogLevel.Warning, Message = "Could not connect to Redis at start; running on L1 until it answers.")]
    public static partial void ConnectFailed(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 4016, Level = LogLevel.Warning, Message = "A cache key of {Length} characters is empty, longer than 1,024 characters or holds control characters; its data is loaded uncached.")]
    public static partial void KeyNotCacheable(ILogger logger, int length);

    [LoggerMessage(EventId = 4017, Level = LogLevel.Information, Message = "The application's HybridCache is {Implementation}, not EventKit's: EventKit keeps its own cache for its directories and statistics (L2: {L2}, key prefix {KeyPrefix}); add .RegisterAsHybridCache() to serve the application's HybridCache from EventKit too.")]
    public static partial void ApplicationHasOtherHybridCache(ILogger logger, string implementation, string l2, string keyPrefix);

    [LoggerMessage(EventId = 4100, Level = LogLevel.Information, Message = "Background cache fill {Name} finished: {Count} entries in {Elapsed}.")]
    public static partial void BackgroundFillFinished(ILogger logger, string name, long count, TimeSpan elapsed);

    [LoggerMessage(EventId = 4101, Level = LogLevel.Information, Message = "Background cache fill {Name} stopped with the host after {Count} entries; the rest are cached as they are first read.")]
    public static partial void BackgroundFillStopped(ILogger logger, string name, long count);

    [LoggerMessage(EventId = 4102, Level = LogLevel.Error, Message = "Background cache fill {Name} failed after {Count} entries; the rest are cached as they are first read.")]
    public static partial void BackgroundFillFailed(ILogger logger, string name, long count, Exception exception);
}
