namespace EventKit.Gates.Ble;

/// <summary>One AD structure: its type byte and the data after it (a slice of the advert, nothing copied).</summary>
public readonly ref struct AdStructure
{
    internal AdStructure(byte type, ReadOnlySpan<byte> data)
    {
        Type = type;
        Data = data;
    }

    /// <summary>The AD type (0x01 flags, 0x09 complete local name, 0x16 service data, 0xFF manufacturer data, …).</summary>
    public byte Type { get; }

    /// <summary>The bytes after the type.</summary>
    public ReadOnlySpan<byte> Data { get; }
}
