using Microsoft.Extensions.Logging;

namespace EventKit.Storage.Internal;

/// <summary>Log messages about BLE identity keys at rest; never any key material.</summary>
internal static partial class Log
{
    [LoggerMessage(EventId = 3070, Level = LogLevel.Warning, Message = "No EventKit:Security:BleKeyEncryptionKey (EVENTKIT_BLE_KEY_ENCRYPTION_KEY) is configured: BLE identity keys are stored in plaintext. Allowed in Development only; configure a key before real participants are provisioned.")]
    public static partial void BleKeysInPlaintext(ILogger logger);

    [LoggerMessage(EventId = 3071, Level = LogLevel.Information, Message = "Sealed {Plaintext} plaintext BLE identity keys and re-sealed {Resealed} under the current key (id {KeyId:x2}).")]
    public static partial void BleKeysSealed(ILogger logger, int plaintext, int resealed, byte keyId);
}
