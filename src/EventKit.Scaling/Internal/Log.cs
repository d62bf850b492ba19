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

    [LoggerMessage(EventId = 8100, Level = LogLevel.Information, Message = "Scaling: took the lease on gate {GateId} (fencing token {Token}); PostgreSQL decides its check-ins for one re-entry window, then this node decides them in memory.")]
    public static partial void GateLeaseAcquired(ILogger logger, long gateId, long token);

    [LoggerMessage(EventId = 8101, Level = LogLevel.Information, Message = "Scaling: gate {GateId} moved to node {Owner}; this node stopped deciding it and releases its lease once its last decision's write has ended.")]
    public static partial void GateMovedAway(ILogger logger, long gateId, string? owner);

    [LoggerMessage(EventId = 8102, Level = LogLevel.Information, Message = "Scaling: released the lease on gate {GateId} (released: {Released}).")]
    public static partial void GateLeaseReleased(ILogger logger, long gateId, bool released);

    [LoggerMessage(EventId = 8103, Level = LogLevel.Warning, Message = "Scaling: the lease on gate {GateId} could not be renewed; this node stops deciding the gate when its validity ends.")]
    public static partial void GateLeaseRenewFailed(ILogger logger, long gateId);
}
