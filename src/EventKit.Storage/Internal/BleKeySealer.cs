using System.Buffers.Binary;
using System.Globalization;
using System.Security.Cryptography;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace EventKit.Storage.Internal;

/// <summary>
/// Seals BLE identity keys with AES-256-GCM under <see cref="BleKeyEncryptionOptions.BleKeyEncryptionKey"/>:
/// <c>format (1) ‖ key id (1) ‖ nonce (12) ‖ ciphertext (16) ‖ tag (16)</c>, authenticated together with the participant
/// id, so a sealed key copied to another participant's row does not open. The key id is the first byte of a hash of the
/// key: it picks the key (current or previous) a row was sealed with, and the tag decides.
/// </summary>
internal sealed class BleKeySealer
{
    internal const int SealedLength = HeaderLength + NonceLength + BleIdentity.KeyLength + TagLength;

    internal const string NoKeyMessage =
        "BLE identity keys are stored encrypted: set EventKit:Security:BleKeyEncryptionKey (EVENTKIT_BLE_KEY_ENCRYPTION_KEY) to 32 random bytes in base64 " +
        "(openssl rand -base64 32). Without it BLE identities are refused outside the Development environment.";

    private const byte Format = 1;
    private const int HeaderLength = 2;
    private const int NonceLength = 12;
    private const int TagLength = 16;

    private readonly byte[][] _keys;
    private readonly byte[] _keyIds;
    private readonly bool _development;
    private readonly ILogger _logger;
    private int _warned;

    public BleKeySealer(IOptions<BleKeyEncryptionOptions> options, ILogger<BleKeySealer> logger, IHostEnvironment? environment = null)
    {
        var value = options.Value;
        var keys = new List<byte[]>();
        if (TryDecodeKey(value.BleKeyEncryptionKey, out var current))
        {
            keys.Add(current);
            foreach (var previous in value.BleKeyEncryptionPreviousKeys)
            {
                if (TryDecodeKey(previous, out var key))
                {
                    keys.Add(key);
                }
            }
        }

        _keys = [.. keys];
        _keyIds = Array.ConvertAll(_keys, KeyId);
        _development = environment?.IsDevelopment() == true;
        _logger = logger;
    }

    /// <summary>Whether a key is configured (identity keys are sealed).</summary>
    public bool HasKey => _keys.Length > 0;

    /// <summary>The id of the key new seals use.</summary>
    public byte CurrentKeyId => _keyIds[0];

    /// <summary>Throws when identity keys may not be handled at all: no key outside Development. In Development without a
    /// key it warns once (keys are then stored in plaintext).</summary>
    /// <exception cref="OptionsValidationException">No key outside Development.</exception>
    public void EnsureUsable()
    {
        if (HasKey)
        {
            return;
        }

        if (!_development)
        {
            throw new OptionsValidationException(Options.DefaultName, typeof(BleKeyEncryptionOptions), [NoKeyMessage]);
        }

        if (Interlocked.Exchange(ref _warned, 1) == 0)
        {
            Log.BleKeysInPlaintext(_logger);
        }
    }

    public byte[] Seal(long participantId, ReadOnlySpan<byte> identityKey)
    {
        var sealedKey = new byte[SealedLength];
        sealedKey[0] = Format;
        sealedKey[1] = _keyIds[0];
        var nonce = sealedKey.AsSpan(HeaderLength, NonceLength);
        RandomNumberGenerator.Fill(nonce);
        Span<byte> associated = stackalloc byte[HeaderLength + sizeof(long)];
        AssociatedData(sealedKey, participantId, associated);
        using var aes = new AesGcm(_keys[0], TagLength);
        aes.Encrypt(nonce, identityKey, sealedKey.AsSpan(HeaderLength + NonceLength, BleIdentity.KeyLength), sealedKey.AsSpan(SealedLength - TagLength), associated);
        return sealedKey;
    }

    /// <summary>Opens a sealed key with whichever configured key it was sealed under.</summary>
    /// <returns>The 16-byte identity key, or <see langword="false"/> if no configured key opens it.</returns>
    public bool TryOpen(long participantId, ReadOnlySpan<byte> sealedKey, Span<byte> identityKey)
    {
        if (sealedKey.Length != SealedLength || sealedKey[0] != Format)
        {
            return false;
        }

        Span<byte> associated = stackalloc byte[HeaderLength + sizeof(long)];
        AssociatedData(sealedKey, participantId, associated);
        for (var i = 0; i < _keys.Length; i++)
        {
            if (_keyIds[i] != sealedKey[1])
            {
                continue;
            }

            using var aes = new AesGcm(_keys[i], TagLength);
            try
            {
                aes.Decrypt(sealedKey.Slice(HeaderLength, NonceLength), sealedKey.Slice(HeaderLength + NonceLength, BleIdentity.KeyLength), sealedKey[(SealedLength - TagLength)..], identityKey, associated);
                return true;
            }
            catch (AuthenticationTagMismatchException)
            {
                // Two keys may share an id byte; the next one with this id is tried.
            }
        }

        return false;
    }

    /// <summary>Opens a sealed key or explains which setting is wrong (never any key material).</summary>
    /// <exception cref="InvalidOperationException">No configured key opens it.</exception>
    public byte[] Open(long participantId, ReadOnlySpan<byte> sealedKey)
    {
        var identityKey = new byte[BleIdentity.KeyLength];
        if (TryOpen(participantId, sealedKey, identityKey))
        {
            return identityKey;
        }

        throw new InvalidOperationException(CannotOpenMessage(participantId, sealedKey.Length > 1 ? sealedKey[1] : (byte)0));
    }

    internal string CannotOpenMessage(long participantId, byte keyId)
        => HasKey
            ? string.Create(CultureInfo.InvariantCulture, $"The BLE identity key of participant {participantId} was sealed under key id {keyId:x2}, which EventKit:Security:BleKeyEncryptionKey (key id {CurrentKeyId:x2}) and EventKit:Security:BleKeyEncryptionPreviousKeys do not open. Configure the key it was sealed with (as the current or a previous key).")
            : string.Create(CultureInfo.InvariantCulture, $"The BLE identity key of participant {participantId} is sealed (key id {keyId:x2}) but no key is configured. {NoKeyMessage}");

    internal static bool TryDecodeKey(string? text, out byte[] key)
    {
        key = new byte[32];
        return text is not null && Convert.TryFromBase64String(text.Trim(), key, out var written) && written == 32;
    }

    internal static byte KeyId(byte[] key)
    {
        Span<byte> hash = stackalloc byte[32];
        HMACSHA256.HashData(key, "EventKit BLE identity key id"u8, hash);
        return hash[0];
    }

    private static void AssociatedData(ReadOnlySpan<byte> sealedKey, long participantId, Span<byte> associated)
    {
        sealedKey[..HeaderLength].CopyTo(associated);
        BinaryPrimitives.WriteInt64BigEndian(associated[HeaderLength..], participantId);
    }
}
