using Microsoft.Extensions.Logging;

namespace EventKit.Internal;

/// <summary>EventKit.Core's log messages. No tokens, e-mail addresses or names: ids only.</summary>
internal static partial class Log
{
    [LoggerMessage(EventId = 1001, Level = LogLevel.Warning, Message = "Check-in at gate {GateId} could not be recorded: storage unavailable. Nothing was written.")]
    public static partial void StorageUnavailable(ILogger logger, long gateId, Exception exception);

    [LoggerMessage(EventId = 1002, Level = LogLevel.Warning, Message = "Check-in claims store failed ({Operation}); using this node's own claims until it recovers.")]
    public static partial void ClaimsFallback(ILogger logger, string operation, Exception exception);

    [LoggerMessage(EventId = 1003, Level = LogLevel.Debug, Message = "Request {RequestId} is in flight elsewhere; waiting for its answer.")]
    public static partial void WaitingForRequest(ILogger logger, Guid requestId);

    [LoggerMessage(EventId = 1004, Level = LogLevel.Warning, Message = "The configuration of event {EventId} could not be read; check-ins use {Fallback}.")]
    public static partial void EventSettingsUnavailable(ILogger logger, long eventId, string fallback, Exception exception);

    [LoggerMessage(EventId = 1005, Level = LogLevel.Information, Message = "Participant {ParticipantId}'s credential was stored under an older hash scheme and is now re-hashed with the current pepper.")]
    public static partial void CredentialRehashed(ILogger logger, long participantId);

    [LoggerMessage(EventId = 1006, Level = LogLevel.Warning, Message = "Participant {ParticipantId}'s credential could not be re-hashed with the current pepper.")]
    public static partial void CredentialRehashFailed(ILogger logger, long participantId, Exception exception);
}
