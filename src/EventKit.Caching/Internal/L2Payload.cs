using System.Buffers;
using System.Buffers.Binary;
using System.Text;
using Microsoft.Extensions.Caching.Hybrid;

namespace EventKit.Caching.Internal;

/// <summary>
/// The L2 value layout: version (1 byte), flags (1 byte: bit 0 = null value), created stamp (8), logical expiry in
/// Unix ms (8), tag count (2), each tag as length (2) + UTF-8, then the serialized value. The header lets every node
/// check tag invalidation and expiry without deserializing.
/// </summary>
internal readonly struct L2Payload
{
    private const byte Version = 1;
    private const int FixedHeader = 1 + 1 + 8 + 8 + 2;

    public long CreatedStamp { get; init; }

    public long ExpiresAtMs { get; init; }

    public bool IsNull { get; init; }

    public string[] Tags { get; init; }

    public int BodyOffset { get; init; }

    public static byte[] Encode<T>(T value, bool isNull, long createdStamp, long expiresAtMs, string[] tags, IHybridCacheSerializer<T> serializer)
    {
        var writer = new ArrayBufferWriter<byte>(256);
        var headerLength = FixedHeader;
        foreach (var tag in tags)
        {
            headerLength += 2 + Encoding.UTF8.GetByteCount(tag);
        }

        var header = writer.GetSpan(headerLength);
        header[0] = Version;
        header[1] = isNull ? (byte)1 : (byte)0;
        BinaryPrimitives.WriteInt64LittleEndian(header[2..], createdStamp);
        BinaryPrimitives.WriteInt64LittleEndian(header[10..], expiresAtMs);
        BinaryPrimitives.WriteUInt16LittleEndian(header[18..], (ushort)tags.Length);
        var offset = FixedHeader;
        foreach (var tag in tags)
        {
            var written = Encoding.UTF8.GetBytes(tag, header[(offset + 2)..]);
            BinaryPrimitives.WriteUInt16LittleEndian(header[offset..], (ushort)written);
            offset += 2 + written;
        }

        writer.Advance(headerLength);
        if (!isNull)
        {
            serializer.Serialize(value, writer);
        }

        return writer.WrittenSpan.ToArray();
    }

    public static bool TryDecode(byte[] data, out L2Payload payload)
    {
        payload = default;
        if (data.Length < FixedHeader || data[0] != Version)
        {
            return false;
        }

        ReadOnlySpan<byte> span = data;
        var count = BinaryPrimitives.ReadUInt16LittleEndian(span[18..]);
        var tags = count == 0 ? [] : new string[count];
        var offset = FixedHeader;
        for (var i = 0; i < count; i++)
        {
            if (offset + 2 > span.Length)
            {
                return false;
            }

            var length = BinaryPrimitives.ReadUInt16LittleEndian(span[offset..]);
            if (offset + 2 + length > span.Length)
            {
                return false;
            }

            tags[i] = Encoding.UTF8.GetString(span.Slice(offset + 2, length));
            offset += 2 + length;
        }

        payload = new L2Payload
        {
            IsNull = (span[1] & 1) != 0,
            CreatedStamp = BinaryPrimitives.ReadInt64LittleEndian(span[2..]),
            ExpiresAtMs = BinaryPrimitives.ReadInt64LittleEndian(span[10..]),
            Tags = tags,
            BodyOffset = offset,
        };
        return true;
    }
}
