using Microsoft.Extensions.Logging;

namespace EventKit.Monitoring.Internal;

/// <summary>EventKit.Monitoring's log messages. No tokens or personal data: rule names, values and ids only.</summary>
internal static partial class Log
{
    [LoggerMessage(EventId = 5001, Level = LogLevel.Warning, Message = "Monitoring tick failed; the next second is tried as usual.")]
    public static partial void TickFailed(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 5002, Level = LogLevel.Warning, Message = "Health probe for monitoring failed.")]
    public static partial void ProbeFailed(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 5003, Level = LogLevel.Error, Message = "Recovery action {Action} for rule {Rule} threw.")]
    public static partial void RecoveryActionFailed(ILogger logger, string action, string rule, Exception exception);

    [LoggerMessage(EventId = 5004, Level = LogLevel.Warning, Message = "Recovery action {Action} for rule {Rule} ran: succeeded {Succeeded}. {Detail}")]
    public static partial void RecoveryActionRan(ILogger logger, string action, string rule, bool succeeded, string detail);

    [LoggerMessage(EventId = 5005, Level = LogLevel.Warning, Message = "Alert {Name} FIRING ({Severity}): {Summary} Value {Value}, threshold {Threshold}.")]
    public static partial void AlertFiring(ILogger logger, string name, AlertSeverity severity, string summary, double? value, double threshold);

    [LoggerMessage(EventId = 5006, Level = LogLevel.Information, Message = "Alert {Name} resolved ({Severity}). Value {Value}.")]
    public static partial void AlertResolved(ILogger logger, string name, AlertSeverity severity, double? value);

    [LoggerMessage(EventId = 5007, Level = LogLevel.Warning, Message = "Alert sink {Sink} failed to deliver {Name}; dropped.")]
    public static partial void SinkFailed(ILogger logger, string sink, string name, Exception exception);

    [LoggerMessage(EventId = 5008, Level = LogLevel.Warning, Message = "Alert sink {Sink} queue full; the oldest notification was dropped.")]
    public static partial void SinkQueueFull(ILogger logger, string sink);

    [LoggerMessage(EventId = 5009, Level = LogLevel.Warning, Message = "Suggestion source {Source} failed; its earlier suggestions stay until it answers again.")]
    public static partial void SuggestionSourceFailed(ILogger logger, string source, Exception exception);
}
