using Microsoft.Extensions.Logging;

namespace EventKit.Gates.Ble.Internal;

/// <summary>Every log message of EventKit.Gates.Ble. Identity keys never appear in messages.</summary>
internal static partial class Log
{
    [LoggerMessage(EventId = 6001, Level = LogLevel.Information, Message = "Loaded {Count} BLE identities for event {EventId}.")]
    public static partial void IdentitiesLoaded(ILogger logger, int count, long eventId);

    [LoggerMessage(EventId = 6002, Level = LogLevel.Warning, Message = "Loading BLE identities failed; keeping the {Count} already loaded.")]
    public static partial void IdentityLoadFailed(ILogger logger, Exception exception, int count);

    [LoggerMessage(EventId = 6003, Level = LogLevel.Warning, Message = "Suspected cloned BLE credential: participant {ParticipantId} entered gate {GateId} right after gate {OtherGateId}.")]
    public static partial void CloneSuspected(ILogger logger, long participantId, long gateId, long otherGateId);

    [LoggerMessage(EventId = 6004, Level = LogLevel.Warning, Message = "Report from gateway {GatewayId} replays nonce {Nonce}; ignored.")]
    public static partial void NonceReplayed(ILogger logger, string gatewayId, ulong nonce);

    [LoggerMessage(EventId = 6005, Level = LogLevel.Warning, Message = "Report from unknown gateway {GatewayId}; its sightings are rejected.")]
    public static partial void UnknownGateway(ILogger logger, string gatewayId);

    [LoggerMessage(EventId = 6006, Level = LogLevel.Warning, Message = "BLE check-in of participant {ParticipantId} at gate {GateId} failed: {Status}.")]
    public static partial void CheckInFailed(ILogger logger, long participantId, long gateId, CheckInStatus status);

    [LoggerMessage(EventId = 6007, Level = LogLevel.Error, Message = "A BLE gate observer threw; the others still run.")]
    public static partial void ObserverFailed(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 6008, Level = LogLevel.Error, Message = "BLE housekeeping failed; it runs again next interval.")]
    public static partial void HousekeepingFailed(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 6009, Level = LogLevel.Information, Message = "No Redis connection is registered: BLE clone detection and the Ruuvi nonce guard see this node's reports only.")]
    public static partial void SharedStateLocal(ILogger logger);

    [LoggerMessage(EventId = 6010, Level = LogLevel.Warning, Message = "Redis could not answer a BLE {Operation} check; this node decides alone (clones and replays seen only by other nodes are missed) until it answers again.")]
    public static partial void SharedStateDegraded(ILogger logger, string operation);

    [LoggerMessage(EventId = 6011, Level = LogLevel.Information, Message = "Redis answers BLE clone and nonce checks again; state is shared across nodes.")]
    public static partial void SharedStateRecovered(ILogger logger);
}
