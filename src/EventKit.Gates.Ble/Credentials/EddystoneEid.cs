using System.Buffers.Binary;
using System.Security.Cryptography;

namespace EventKit.Gates.Ble;

/// <summary>The Eddystone-EID computation (Google's <c>eid-computation.md</c>) and a writer for the advert a phone broadcasts.</summary>
public static class EddystoneEid
{
    /// <summary>The length of the advert <see cref="WriteAdvert"/> produces: flags, the 16-bit UUID list and the EID service data.</summary>
    public const int AdvertLength = 3 + 4 + 14;

    /// <summary>The EID counter at <paramref name="at"/>: unix seconds minus the identity's clock offset, as 32 bits.</summary>
    public static uint Counter(DateTimeOffset at, uint clockOffset) => unchecked((uint)(at.ToUnixTimeSeconds() - clockOffset));

    /// <summary>Computes the 16-byte temporary key for the 65,536-second epoch that holds <paramref name="counter"/>.</summary>
    /// <param name="identityKey">The 16-byte identity key.</param>
    /// <param name="counter">The EID counter; only its top 16 bits matter.</param>
    /// <param name="destination">Receives 16 bytes.</param>
    public static void ComputeTemporaryKey(ReadOnlySpan<byte> identityKey, uint counter, Span<byte> destination)
    {
        using var aes = Aes.Create();
        ComputeTemporaryKey(aes, identityKey, counter, destination);
    }

    /// <summary>Computes an 8-byte EID (as a big-endian number: the first byte on air is the most significant).</summary>
    /// <param name="identityKey">The 16-byte identity key.</param>
    /// <param name="rotationExponent">K, 0 to 15.</param>
    /// <param name="counter">The EID counter; its K low bits are cleared.</param>
    public static ulong Compute(ReadOnlySpan<byte> identityKey, byte rotationExponent, uint counter)
    {
        using var aes = Aes.Create();
        Span<byte> temporaryKey = stackalloc byte[16];
        ComputeTemporaryKey(aes, identityKey, counter, temporaryKey);
        return ComputeFromTemporaryKey(aes, temporaryKey, rotationExponent, counter);
    }

    /// <summary>The EID <paramref name="identity"/> broadcasts at <paramref name="at"/>.</summary>
    public static ulong Compute(BleIdentity identity, DateTimeOffset at)
    {
        ArgumentNullException.ThrowIfNull(identity);
        return Compute(identity.IdentityKey.Span, identity.RotationExponent, Counter(at, identity.ClockOffset));
    }

    /// <summary>Writes the advert a phone or badge broadcasts for <paramref name="identity"/> at <paramref name="at"/>:
    /// flags, the Eddystone UUID list and the EID frame (<see cref="AdvertLength"/> bytes).</summary>
    /// <param name="identity">The participant's identity.</param>
    /// <param name="at">The time to compute the EID for.</param>
    /// <param name="txPowerAt0m">The calibrated Tx power at 0 m (a phone at −59 dBm at 1 m is −18).</param>
    /// <param name="destination">At least <see cref="AdvertLength"/> bytes.</param>
    /// <returns>The bytes written.</returns>
    public static int WriteAdvert(BleIdentity identity, DateTimeOffset at, sbyte txPowerAt0m, Span<byte> destination)
    {
        ArgumentNullException.ThrowIfNull(identity);
        if (destination.Length < AdvertLength)
        {
            throw new ArgumentException($"The destination must hold at least {AdvertLength} bytes.", nameof(destination));
        }

        WriteEidAdvert(Compute(identity, at), txPowerAt0m, destination);
        return AdvertLength;
    }

    /// <summary>Returns the advert of <see cref="WriteAdvert(BleIdentity, DateTimeOffset, sbyte, Span{byte})"/> as a new array.</summary>
    public static byte[] CreateAdvert(BleIdentity identity, DateTimeOffset at, sbyte txPowerAt0m = -18)
    {
        var advert = new byte[AdvertLength];
        WriteAdvert(identity, at, txPowerAt0m, advert);
        return advert;
    }

    internal static void WriteEidAdvert(ulong eid, sbyte txPowerAt0m, Span<byte> destination)
    {
        // Flags: LE General Discoverable, BR/EDR not supported.
        destination[0] = 0x02;
        destination[1] = BleAdvertParser.TypeFlags;
        destination[2] = 0x06;
        destination[3] = 0x03;
        destination[4] = BleAdvertParser.TypeComplete16;
        BinaryPrimitives.WriteUInt16LittleEndian(destination[5..], BleAdvertParser.EddystoneServiceUuid);
        destination[7] = 13;
        destination[8] = BleAdvertParser.TypeServiceData16;
        BinaryPrimitives.WriteUInt16LittleEndian(destination[9..], BleAdvertParser.EddystoneServiceUuid);
        destination[11] = BleAdvertParser.EddystoneEid;
        destination[12] = unchecked((byte)txPowerAt0m);
        BinaryPrimitives.WriteUInt64BigEndian(destination[13..], eid);
    }

    internal static void ComputeTemporaryKey(Aes aes, ReadOnlySpan<byte> identityKey, uint counter, Span<byte> destination)
    {
        // 11 zero bytes, 0xFF, two zero bytes, then the counter's top 16 bits big-endian.
        Span<byte> block = stackalloc byte[16];
        block.Clear();
        block[11] = 0xFF;
        BinaryPrimitives.WriteUInt16BigEndian(block[14..], (ushort)(counter >> 16));
        aes.SetKey(identityKey);
        aes.EncryptEcb(block, destination, PaddingMode.None);
    }

    internal static ulong ComputeFromTemporaryKey(Aes aes, ReadOnlySpan<byte> temporaryKey, byte rotationExponent, uint counter)
    {
        // 11 zero bytes, K, then the counter with its K low bits cleared, big-endian.
        Span<byte> block = stackalloc byte[16];
        block.Clear();
        block[11] = rotationExponent;
        BinaryPrimitives.WriteUInt32BigEndian(block[12..], counter >> rotationExponent << rotationExponent);
        Span<byte> output = stackalloc byte[16];
        aes.SetKey(temporaryKey);
        aes.EncryptEcb(block, output, PaddingMode.None);
        return BinaryPrimitives.ReadUInt64BigEndian(output);
    }
}
