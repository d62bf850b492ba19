namespace EventKit.Storage;

/// <summary>
/// How EventKit.Storage encrypts participants' BLE identity keys at rest (AES-256-GCM), so that read access to the database
/// (a dump, a backup, a replica) cannot compute anyone's Eddystone-EIDs. Bound from section <c>EventKit:Security</c>;
/// the key may also come from <c>EVENTKIT_BLE_KEY_ENCRYPTION_KEY</c>.
/// </summary>
/// <remarks>
/// Without a key, BLE identities are refused outside the Development environment (the BLE gates then fail at start); in
/// Development they are stored in plaintext with a warning. A node started with a key seals every plaintext row, and
/// re-seals rows sealed under one of <see cref="BleKeyEncryptionPreviousKeys"/>, before other services start.
/// </remarks>
public sealed class BleKeyEncryptionOptions
{
    /// <summary>The configuration section: <c>EventKit:Security</c>.</summary>
    public const string SectionName = "EventKit:Security";

    /// <summary>The key that seals identity keys: 32 random bytes, base64 (<c>openssl rand -base64 32</c>). Keep it outside
    /// the database and its backups (a secret store, an environment variable).</summary>
    /// <remarks>Default <see langword="null"/>: from <c>EVENTKIT_BLE_KEY_ENCRYPTION_KEY</c> when that is set. Validated at
    /// start: exactly 32 bytes once decoded.</remarks>
    public string? BleKeyEncryptionKey { get; set; }

    /// <summary>Keys used before <see cref="BleKeyEncryptionKey"/>, same format: rows sealed under them are still read, and
    /// re-sealed under the current key when a node starts. Remove a key once every node has restarted with the new one.</summary>
    /// <remarks>Default empty. Each 32 bytes once decoded.</remarks>
    public IList<string> BleKeyEncryptionPreviousKeys { get; } = [];
}
