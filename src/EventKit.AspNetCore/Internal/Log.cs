using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace EventKit.AspNetCore.Internal;

/// <summary>EventKit.AspNetCore's log messages: paths and ids, never credentials, keys or e-mail addresses.</summary>
internal static partial class Log
{
    [LoggerMessage(EventId = 5001, Level = LogLevel.Warning, Message = "Storage outage while serving {Path}; answered 503.")]
    public static partial void Outage(ILogger logger, PathString path, Exception exception);

    [LoggerMessage(EventId = 5002, Level = LogLevel.Warning, Message = "Refused a {Kind} key on {Path}: {Reason}.")]
    public static partial void AuthenticationFailed(ILogger logger, string kind, string reason, PathString path);

    [LoggerMessage(EventId = 5003, Level = LogLevel.Warning, Message = "EventKit:Api:RequireScannerKeys is false: POST /api/v1/checkins accepts check-ins from anyone who can reach this host. Use it on trusted networks only.")]
    public static partial void ScannerKeysOff(ILogger logger);

    [LoggerMessage(EventId = 5004, Level = LogLevel.Warning, Message = "BLE gateway endpoints are not enabled: .AddBleGates() was not called. /api/v1/gateways… and /api/v1/participants/{{id}}/ble-key answer 404 with code ble_gates_not_enabled.")]
    public static partial void BleGatesNotAdded(ILogger logger);

    [LoggerMessage(EventId = 5006, Level = LogLevel.Warning, Message = "EventKit:Security:CredentialPepper is not set: credential hashes are plain SHA-256, which anyone with a copy of the database or Redis can test guesses against. Allowed in Development only; set EVENTKIT_CREDENTIAL_PEPPER.")]
    public static partial void UnpepperedCredentials(ILogger logger);

    [LoggerMessage(EventId = 5007, Level = LogLevel.Error, Message = "The audit entry of {Action} on {EntityKind} {EntityId} could not be written; the change itself was made.")]
    public static partial void AuditWriteFailed(ILogger logger, string action, string entityKind, long? entityId, Exception exception);

    // 8050–8079: EventKit.Scaling's range (gate ownership of BLE reports).
    [LoggerMessage(EventId = 8050, Level = LogLevel.Warning, Message = "Could not pass a BLE report to its gate's owner at {Owner} ({Reason}); processed it on this node.")]
    public static partial void ForwardToOwnerFailed(ILogger logger, string owner, string reason);

    [LoggerMessage(EventId = 5100, Level = LogLevel.Warning, Message = "Could not pass a check-in to its gate's owner at {Owner} ({Reason}); answered 503 with Retry-After (nothing is decided on a guess).")]
    public static partial void CheckInForwardFailed(ILogger logger, string owner, string reason);

    [LoggerMessage(EventId = 5101, Level = LogLevel.Debug, Message = "Gate {GateId} is not decided here and cannot be passed on ({State}); answered 503 with Retry-After.")]
    public static partial void GateOwnershipMoving(ILogger logger, long gateId, string state);
}
