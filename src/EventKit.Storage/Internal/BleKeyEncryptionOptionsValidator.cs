using Microsoft.Extensions.Options;

namespace EventKit.Storage.Internal;

/// <summary>Validates <see cref="BleKeyEncryptionOptions"/> at start; messages name the setting, never the value.</summary>
internal sealed class BleKeyEncryptionOptionsValidator : IValidateOptions<BleKeyEncryptionOptions>
{
    public ValidateOptionsResult Validate(string? name, BleKeyEncryptionOptions options)
    {
        var failures = new List<string>();
        if (options.BleKeyEncryptionKey is not null && !BleKeySealer.TryDecodeKey(options.BleKeyEncryptionKey, out _))
        {
            failures.Add("EventKit:Security:BleKeyEncryptionKey (EVENTKIT_BLE_KEY_ENCRYPTION_KEY) must be 32 bytes in base64 (openssl rand -base64 32).");
        }

        for (var i = 0; i < options.BleKeyEncryptionPreviousKeys.Count; i++)
        {
            if (!BleKeySealer.TryDecodeKey(options.BleKeyEncryptionPreviousKeys[i], out _))
            {
                failures.Add($"EventKit:Security:BleKeyEncryptionPreviousKeys:{i} must be 32 bytes in base64.");
            }
        }

        if (options.BleKeyEncryptionPreviousKeys.Count > 0 && options.BleKeyEncryptionKey is null)
        {
            failures.Add("EventKit:Security:BleKeyEncryptionPreviousKeys needs EventKit:Security:BleKeyEncryptionKey (the key new seals use).");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
