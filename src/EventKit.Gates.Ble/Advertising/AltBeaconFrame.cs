namespace EventKit.Gates.Ble;

/// <summary>An AltBeacon frame.</summary>
public readonly ref struct AltBeaconFrame
{
    internal AltBeaconFrame(ushort companyId, ReadOnlySpan<byte> beaconId, sbyte referenceRssi, byte reserved)
    {
        CompanyId = companyId;
        BeaconId = beaconId;
        ReferenceRssi = referenceRssi;
        Reserved = reserved;
    }

    /// <summary>The manufacturer's company id.</summary>
    public ushort CompanyId { get; }

    /// <summary>The 20-byte beacon id.</summary>
    public ReadOnlySpan<byte> BeaconId { get; }

    /// <summary>The RSSI at 1 m in dBm.</summary>
    public sbyte ReferenceRssi { get; }

    /// <summary>The manufacturer-reserved byte.</summary>
    public byte Reserved { get; }
}
