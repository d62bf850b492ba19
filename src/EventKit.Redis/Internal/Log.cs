using Microsoft.Extensions.Logging;

namespace EventKit.Redis.Internal;

internal static partial class Log
{
    [LoggerMessage(EventId = 7001, Level = LogLevel.Information, Message = "Redis connected at {Endpoint} (connection created by EventKit: {Owned}).")]
    public static partial void Connected(ILogger logger, string endpoint, bool owned);

    [LoggerMessage(EventId = 7002, Level = LogLevel.Warning, Message = "Redis at {Endpoint} did not answer within {Timeout}; retrying in the background. Until it answers, anti-passback and request-id replays are per node and the cache runs on L1 only.")]
    public static partial void NotReachableAtStart(ILogger logger, string endpoint, TimeSpan timeout);

    [LoggerMessage(EventId = 7003, Level = LogLevel.Warning, Message = "Redis connection to {Endpoint} failed ({ConnectionType}, {FailureType}); retrying in the background.")]
    public static partial void ConnectionFailed(ILogger logger, string endpoint, string connectionType, string failureType);

    [LoggerMessage(EventId = 7004, Level = LogLevel.Information, Message = "Redis connection to {Endpoint} restored ({ConnectionType}).")]
    public static partial void ConnectionRestored(ILogger logger, string endpoint, string connectionType);

    [LoggerMessage(EventId = 7005, Level = LogLevel.Warning, Message = "Redis at {Endpoint} has lost EventKit's data (its epoch key changed: restart without persistence, failover to a stale replica, or a flush). Claims fall back to PostgreSQL for one re-entry window.")]
    public static partial void DataLost(ILogger logger, string endpoint);

    [LoggerMessage(EventId = 7006, Level = LogLevel.Error, Message = "A listener of the Redis connection's {State} event failed.")]
    public static partial void ListenerFailed(ILogger logger, string state, Exception exception);

    [LoggerMessage(EventId = 7010, Level = LogLevel.Warning, Message = "Redis check-in claims unavailable ({Operation}: error, timeout or open circuit); this node enforces anti-passback and idempotency on its own until Redis answers.")]
    public static partial void ClaimsDegraded(ILogger logger, string operation);

    [LoggerMessage(EventId = 7011, Level = LogLevel.Information, Message = "Redis check-in claims are back; anti-passback and idempotency hold across nodes again.")]
    public static partial void ClaimsRecovered(ILogger logger);

    [LoggerMessage(EventId = 7050, Level = LogLevel.Error, Message = "Redis is a Cluster but the check-in claims' keys ('{ClaimsPrefix}…') and the epoch key ('{EpochKey}') carry different hash tags, so their scripts cannot run: the claims stay on this node and PostgreSQL decides. Give EventKit:Redis:KeyPrefix and EventKit:Claims:KeyPrefix the same tag, e.g. '{{eventkit}}:' and '{{eventkit}}:claims:'.")]
    public static partial void ClaimsRefuseCluster(ILogger logger, string claimsPrefix, string epochKey);
}
