using System.Buffers.Binary;

namespace EventKit.Gates.Ble;

/// <summary>What <see cref="BleAdvertParser"/> read from one advert. Every span is a slice of the input: nothing is copied.</summary>
/// <remarks>When an advert carries several structures of a kind, the first one is kept (use <see cref="AdStructureReader"/>
/// to see them all). The frame is the first recognised iBeacon, AltBeacon or Eddystone frame.</remarks>
public readonly ref struct BleAdvert
{
    /// <summary>Why parsing stopped.</summary>
    public AdvertParseStatus Status { get; internal init; }

    /// <summary>How many bytes were read as whole AD structures.</summary>
    public int BytesRead { get; internal init; }

    /// <summary>How many AD structures were read.</summary>
    public int StructureCount { get; internal init; }

    /// <summary>Whether a Flags (0x01) structure was present.</summary>
    public bool HasFlags { get; internal init; }

    /// <summary>The Flags byte (0x01), when <see cref="HasFlags"/>.</summary>
    public byte Flags { get; internal init; }

    /// <summary>Whether a Tx Power Level (0x0A) structure was present.</summary>
    public bool HasTxPower { get; internal init; }

    /// <summary>The advertised Tx power in dBm (0x0A), when <see cref="HasTxPower"/>.</summary>
    public sbyte TxPower { get; internal init; }

    /// <summary>The local name's UTF-8 bytes (0x09 complete or 0x08 shortened); empty if none.</summary>
    public ReadOnlySpan<byte> LocalName { get; internal init; }

    /// <summary>Whether <see cref="LocalName"/> is the complete name (0x09) rather than a shortened one (0x08).</summary>
    public bool IsLocalNameComplete { get; internal init; }

    /// <summary>The 16-bit service UUID list bytes (0x02/0x03), little-endian pairs; empty if none.</summary>
    public ReadOnlySpan<byte> ServiceUuids16 { get; internal init; }

    /// <summary>The 128-bit service UUID list bytes (0x06/0x07), little-endian 16-byte groups; empty if none.</summary>
    public ReadOnlySpan<byte> ServiceUuids128 { get; internal init; }

    /// <summary>Whether a Manufacturer Specific Data (0xFF) structure with a company id was present.</summary>
    public bool HasManufacturerData { get; internal init; }

    /// <summary>The Bluetooth SIG company id of the manufacturer data.</summary>
    public ushort CompanyId { get; internal init; }

    /// <summary>The manufacturer data after the company id.</summary>
    public ReadOnlySpan<byte> ManufacturerData { get; internal init; }

    /// <summary>Whether a 16-bit Service Data (0x16) structure was present.</summary>
    public bool HasServiceData { get; internal init; }

    /// <summary>The 16-bit service UUID of the service data.</summary>
    public ushort ServiceDataUuid { get; internal init; }

    /// <summary>The service data after the UUID.</summary>
    public ReadOnlySpan<byte> ServiceData { get; internal init; }

    /// <summary>The recognised frame.</summary>
    public BleFrameKind Frame { get; internal init; }

    /// <summary>Why a frame header was seen but not decoded.</summary>
    public BleFrameError FrameError { get; internal init; }

    /// <summary>The frame's bytes after its header: for iBeacon after <c>02 15</c>, AltBeacon after <c>BE AC</c>,
    /// Eddystone after the frame type byte.</summary>
    internal ReadOnlySpan<byte> FrameBody { get; init; }

    /// <summary>Decodes an iBeacon frame.</summary>
    /// <returns><see langword="false"/> if <see cref="Frame"/> is not <see cref="BleFrameKind.IBeacon"/>.</returns>
    public bool TryGetIBeacon(out IBeaconFrame frame)
    {
        if (Frame != BleFrameKind.IBeacon)
        {
            frame = default;
            return false;
        }

        var body = FrameBody;
        frame = new IBeaconFrame(
            new Guid(body[..16], bigEndian: true),
            BinaryPrimitives.ReadUInt16BigEndian(body[16..]),
            BinaryPrimitives.ReadUInt16BigEndian(body[18..]),
            (sbyte)body[20]);
        return true;
    }

    /// <summary>Decodes an AltBeacon frame.</summary>
    /// <returns><see langword="false"/> if <see cref="Frame"/> is not <see cref="BleFrameKind.AltBeacon"/>.</returns>
    public bool TryGetAltBeacon(out AltBeaconFrame frame)
    {
        if (Frame != BleFrameKind.AltBeacon)
        {
            frame = default;
            return false;
        }

        var body = FrameBody;
        frame = new AltBeaconFrame(CompanyId, body[..20], (sbyte)body[20], body[21]);
        return true;
    }

    /// <summary>Decodes an Eddystone-UID frame.</summary>
    /// <returns><see langword="false"/> if <see cref="Frame"/> is not <see cref="BleFrameKind.EddystoneUid"/>.</returns>
    public bool TryGetEddystoneUid(out EddystoneUidFrame frame)
    {
        if (Frame != BleFrameKind.EddystoneUid)
        {
            frame = default;
            return false;
        }

        var body = FrameBody;
        frame = new EddystoneUidFrame((sbyte)body[0], body.Slice(1, 10), body.Slice(11, 6));
        return true;
    }

    /// <summary>Decodes an Eddystone-URL frame (the URL stays encoded; see <see cref="EddystoneUrlFrame.TryDecode"/>).</summary>
    /// <returns><see langword="false"/> if <see cref="Frame"/> is not <see cref="BleFrameKind.EddystoneUrl"/>.</returns>
    public bool TryGetEddystoneUrl(out EddystoneUrlFrame frame)
    {
        if (Frame != BleFrameKind.EddystoneUrl)
        {
            frame = default;
            return false;
        }

        var body = FrameBody;
        frame = new EddystoneUrlFrame((sbyte)body[0], body[1], body[2..]);
        return true;
    }

    /// <summary>Decodes an unencrypted Eddystone-TLM frame.</summary>
    /// <returns><see langword="false"/> if <see cref="Frame"/> is not <see cref="BleFrameKind.EddystoneTlm"/>.</returns>
    public bool TryGetEddystoneTlm(out EddystoneTlmFrame frame)
    {
        if (Frame != BleFrameKind.EddystoneTlm)
        {
            frame = default;
            return false;
        }

        var body = FrameBody;
        frame = new EddystoneTlmFrame(
            body[0],
            BinaryPrimitives.ReadUInt16BigEndian(body[1..]),
            BinaryPrimitives.ReadInt16BigEndian(body[3..]),
            BinaryPrimitives.ReadUInt32BigEndian(body[5..]),
            BinaryPrimitives.ReadUInt32BigEndian(body[9..]));
        return true;
    }

    /// <summary>Decodes an Eddystone-EID frame.</summary>
    /// <returns><see langword="false"/> if <see cref="Frame"/> is not <see cref="BleFrameKind.EddystoneEid"/>.</returns>
    public bool TryGetEddystoneEid(out EddystoneEidFrame frame)
    {
        if (Frame != BleFrameKind.EddystoneEid)
        {
            frame = default;
            return false;
        }

        var body = FrameBody;
        frame = new EddystoneEidFrame((sbyte)body[0], BinaryPrimitives.ReadUInt64BigEndian(body[1..]));
        return true;
    }

    /// <summary>The measured power at 1 m the frame carries (iBeacon, AltBeacon; Eddystone's 0 m power − 41 dB).</summary>
    /// <returns><see langword="false"/> if the frame carries none.</returns>
    public bool TryGetMeasuredPowerAt1m(out sbyte dbm)
    {
        var body = FrameBody;
        switch (Frame)
        {
            case BleFrameKind.IBeacon:
                dbm = (sbyte)body[20];
                return true;
            case BleFrameKind.AltBeacon:
                dbm = (sbyte)body[20];
                return true;
            case BleFrameKind.EddystoneUid or BleFrameKind.EddystoneUrl or BleFrameKind.EddystoneEid:
                dbm = (sbyte)Math.Max(sbyte.MinValue, (sbyte)body[0] - EddystoneReferenceLoss);
                return true;
            default:
                dbm = 0;
                return false;
        }
    }

    /// <summary>Eddystone's Tx power is measured at 0 m; the 1 m reference is 41 dB lower.</summary>
    internal const int EddystoneReferenceLoss = 41;
}
