using Microsoft.Extensions.Logging;

namespace EventKit.Scaling.Internal;

internal static partial class Log
{
    [LoggerMessage(EventId = 8001, Level = LogLevel.Warning, Message = "Scaling: Redis did not answer for lease or guard {Name} ({Error}).")]
    public static partial void LeaseUnavailable(ILogger logger, string name, string error);

    [LoggerMessage(EventId = 8002, Level = LogLevel.Warning, Message = "Scaling: refused fencing token {Token} on {Resource}: a newer leader acted already.")]
    public static partial void StaleTokenRefused(ILogger logger, string resource, long token);

    [LoggerMessage(EventId = 8003, Level = LogLevel.Information, Message = "Scaling: node {NodeId} joined.")]
    public static partial void NodeJoined(ILogger logger, string nodeId);

    [LoggerMessage(EventId = 8004, Level = LogLevel.Information, Message = "Scaling: node {NodeId} left.")]
    public static partial void NodeLeft(ILogger logger, string nodeId);

    [LoggerMessage(EventId = 8005, Level = LogLevel.Warning, Message = "Scaling: heartbeat of node {NodeId} did not reach Redis ({Error}); it claims no gate ownership until one does.")]
    public static partial void HeartbeatFailed(ILogger logger, string nodeId, string error);

    [LoggerMessage(EventId = 8006, Level = LogLevel.Information, Message = "Scaling: node {NodeId} is now the leader (fencing token {Token}).")]
    public static partial void BecameLeader(ILogger logger, string nodeId, long token);

    [LoggerMessage(EventId = 8007, Level = LogLevel.Warning, Message = "Scaling: node {NodeId} is no longer the leader (lease lost or expired).")]
    public static partial void LostLeadership(ILogger logger, string nodeId);

    [LoggerMessage(EventId = 8008, Level = LogLevel.Information, Message = "Scaling: recommend {Desired} replicas (now {Current}): {Reason}.")]
    public static partial void Recommendation(ILogger logger, int desired, int current, string reason);

    [LoggerMessage(EventId = 8009, Level = LogLevel.Error, Message = "Scaling: the scale executor failed.")]
    public static partial void ExecutorFailed(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 8010, Level = LogLevel.Error, Message = "Scaling: a {Loop} iteration failed.")]
    public static partial void LoopFailed(ILogger logger, string loop, Exception exception);
}
