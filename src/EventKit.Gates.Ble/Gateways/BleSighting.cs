namespace EventKit.Gates.Ble;

/// <summary>One advert as a gateway heard it: who heard it, from which address, how loud, when, and the AD bytes.</summary>
/// <remarks>The advert bytes belong to the <see cref="BleSightingBatch"/> that produced the sighting and are valid until the
/// batch is cleared or disposed.</remarks>
public readonly struct BleSighting
{
    /// <summary>Creates a sighting.</summary>
    /// <param name="gatewayId">The gateway that heard the advert.</param>
    /// <param name="mac">The advertiser's 48-bit device address (<c>C6:A5:…</c> read most significant byte first).</param>
    /// <param name="rssi">The received signal strength in dBm.</param>
    /// <param name="timestampMs">When it was heard, in unix milliseconds.</param>
    /// <param name="advert">The AD structures.</param>
    public BleSighting(string gatewayId, ulong mac, short rssi, long timestampMs, ReadOnlyMemory<byte> advert)
    {
        GatewayId = gatewayId;
        Mac = mac;
        Rssi = rssi;
        TimestampMs = timestampMs;
        Advert = advert;
    }

    /// <summary>The gateway that heard the advert.</summary>
    public string GatewayId { get; }

    /// <summary>The advertiser's 48-bit device address.</summary>
    public ulong Mac { get; }

    /// <summary>The received signal strength in dBm.</summary>
    public short Rssi { get; }

    /// <summary>When it was heard, in unix milliseconds.</summary>
    public long TimestampMs { get; }

    /// <summary>When it was heard.</summary>
    public DateTimeOffset Timestamp => DateTimeOffset.FromUnixTimeMilliseconds(TimestampMs);

    /// <summary>The AD structures.</summary>
    public ReadOnlyMemory<byte> Advert { get; }
}
