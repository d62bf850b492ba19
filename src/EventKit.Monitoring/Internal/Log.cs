using Microsoft.Extensions.Logging;

namespace EventKit.Monitoring.Internal;

/// <summary>EventKit.Monitoring's log messages. No tokens or personal data: rule names, values and ids only.</summary>
internal static partial class Log
{
    [LoggerMessage(EventId = 5001, Level = LogLevel.Warning, Message = "Monitoring tick failed; the next second is tried as usual.")]
    public static partial void TickFailed(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 5002, Level = LogLevel.Warning, Message = "Health probe for monitoring failed.")]
    public static partial void ProbeFailed(ILogger logger, Exception exception);
}
