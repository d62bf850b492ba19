using System.Buffers.Binary;
using System.Buffers.Text;

namespace EventKit.Storage.Internal;

/// <summary>
/// Opaque keyset cursors: base64url of [kind][fingerprint of the query][last key]. The fingerprint
/// makes a cursor from one query useless for another; it is a stable FNV-1a hash (cursors travel
/// between nodes, so no per-process randomised hash).
/// </summary>
internal static class KeysetCursor
{
    public const byte AttendanceKind = 1;
    public const byte SearchKind = 2;
    public const byte GateKind = 3;
    public const byte GatewayKind = 4;
    public const byte AuditKind = 6;

    private const int Size = 1 + 8 + 8 + 16;

    public static string Encode(byte kind, ulong fingerprint, long key, Guid tieBreaker)
    {
        Span<byte> bytes = stackalloc byte[Size];
        bytes[0] = kind;
        BinaryPrimitives.WriteUInt64LittleEndian(bytes[1..], fingerprint);
        BinaryPrimitives.WriteInt64LittleEndian(bytes[9..], key);
        tieBreaker.TryWriteBytes(bytes[17..], bigEndian: true, out _);
        return Base64Url.EncodeToString(bytes);
    }

    /// <exception cref="InvalidCursorException">The cursor was not issued for this kind of query with these filters.</exception>
    public static (long Key, Guid TieBreaker) Decode(string cursor, byte kind, ulong fingerprint)
    {
        Span<byte> bytes = stackalloc byte[Size + 3];
        if (cursor.Length > 64
            || !TryDecode(cursor, bytes, out var written)
            || written != Size
            || bytes[0] != kind
            || BinaryPrimitives.ReadUInt64LittleEndian(bytes[1..]) != fingerprint)
        {
            throw new InvalidCursorException("The cursor is not one this query issued.", nameof(cursor));
        }

        return (BinaryPrimitives.ReadInt64LittleEndian(bytes[9..]), new Guid(bytes.Slice(17, 16), bigEndian: true));
    }

    public static ulong Fingerprint(long a, long b, long c, string? text = null)
    {
        var hash = 14695981039346656037UL;
        hash = Mix(hash, a);
        hash = Mix(hash, b);
        hash = Mix(hash, c);
        if (text is not null)
        {
            foreach (var ch in text)
            {
                hash = (hash ^ ch) * 1099511628211UL;
            }
        }

        return hash;
    }

    private static ulong Mix(ulong hash, long value)
    {
        for (var i = 0; i < 8; i++)
        {
            hash = (hash ^ (byte)(value >> (i * 8))) * 1099511628211UL;
        }

        return hash;
    }

    // Base64Url.TryDecodeFromChars still throws on some malformed input (a length of 4n + 1).
    private static bool TryDecode(string cursor, Span<byte> bytes, out int written)
    {
        try
        {
            return Base64Url.TryDecodeFromChars(cursor, bytes, out written);
        }
        catch (FormatException)
        {
            written = 0;
            return false;
        }
    }
}
