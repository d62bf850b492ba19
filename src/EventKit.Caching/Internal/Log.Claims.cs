using Microsoft.Extensions.Logging;

namespace EventKit.Caching.Internal;

internal static partial class Log
{
    [LoggerMessage(EventId = 4090, Level = LogLevel.Warning, Message = "Redis check-in claims unavailable ({Operation}); this node enforces anti-passback and idempotency on its own until Redis answers.")]
    public static partial void ClaimsDegraded(ILogger logger, string operation, Exception exception);

    [LoggerMessage(EventId = 4091, Level = LogLevel.Information, Message = "Redis check-in claims are back; anti-passback and idempotency hold across nodes again.")]
    public static partial void ClaimsRecovered(ILogger logger);
}
