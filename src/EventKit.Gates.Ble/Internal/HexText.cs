using System.Buffers;

namespace EventKit.Gates.Ble.Internal;

/// <summary>Hex and MAC decoding from UTF-8 bytes, without allocating and without throwing.</summary>
internal static class HexText
{
    public static bool TryDecode(ReadOnlySpan<byte> utf8Hex, Span<byte> destination)
    {
        if ((utf8Hex.Length & 1) != 0 || destination.Length < utf8Hex.Length / 2)
        {
            return false;
        }

        // The runtime's decoder is vectorised; it reports invalid digits instead of throwing.
        return Convert.FromHexString(utf8Hex, destination, out _, out var written) == OperationStatus.Done && written == utf8Hex.Length / 2;
    }

    /// <summary>Reads <c>AA:BB:CC:DD:EE:FF</c>, <c>AA-BB-…</c> or <c>AABBCCDDEEFF</c> as a 48-bit number.</summary>
    public static bool TryParseMac(ReadOnlySpan<byte> utf8, out ulong mac)
    {
        mac = 0;
        var digits = 0;
        foreach (var c in utf8)
        {
            if (c is (byte)':' or (byte)'-')
            {
                continue;
            }

            var nibble = Nibble(c);
            if (nibble < 0 || ++digits > 12)
            {
                return false;
            }

            mac = (mac << 4) | (uint)nibble;
        }

        return digits == 12;
    }

    /// <summary>Reads an unsigned decimal number.</summary>
    public static bool TryParseUInt64(ReadOnlySpan<byte> utf8, out ulong value)
    {
        value = 0;
        if (utf8.IsEmpty || utf8.Length > 19)
        {
            return false;
        }

        foreach (var c in utf8)
        {
            if (c is < (byte)'0' or > (byte)'9')
            {
                return false;
            }

            value = (value * 10) + (ulong)(c - '0');
        }

        return true;
    }

    private static int Nibble(byte c) => c switch
    {
        >= (byte)'0' and <= (byte)'9' => c - '0',
        >= (byte)'a' and <= (byte)'f' => c - 'a' + 10,
        >= (byte)'A' and <= (byte)'F' => c - 'A' + 10,
        _ => -1,
    };
}
