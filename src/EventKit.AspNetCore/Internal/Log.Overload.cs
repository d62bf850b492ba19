using Microsoft.Extensions.Logging;

namespace EventKit.AspNetCore.Internal;

/// <summary>Overload messages (event ids 5050–5069).</summary>
internal static partial class Log
{
    [LoggerMessage(EventId = 5050, Level = LogLevel.Warning, Message = "Check-ins are being shed: {InFlight} in flight (limit {Limit}) and {Queued} queued (limit {QueueLimit}); {Shed} answered 503 with Retry-After since the last report. See EventKit:Api:MaxConcurrentCheckIns.")]
    public static partial void CheckInsShed(ILogger logger, int inFlight, int limit, long queued, int queueLimit, long shed);

    [LoggerMessage(EventId = 5051, Level = LogLevel.Information, Message = "Check-ins: at most {Limit} in flight and {QueueLimit} queued on this node (PostgreSQL pool: {PoolSize}).")]
    public static partial void CheckInLimits(ILogger logger, int limit, int queueLimit, string poolSize);
}
