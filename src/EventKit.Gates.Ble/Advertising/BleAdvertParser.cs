using System.Buffers.Binary;

namespace EventKit.Gates.Ble;

/// <summary>Parses advertising data into a <see cref="BleAdvert"/> without allocating, throwing or reading out of bounds.</summary>
public static class BleAdvertParser
{
    /// <summary>The default maximum advert length: a chained extended advert (1650 bytes).</summary>
    public const int DefaultMaxLength = 1650;

    /// <summary>The 16-bit service UUID of Eddystone.</summary>
    public const ushort EddystoneServiceUuid = 0xFEAA;

    /// <summary>Apple's company id, used by iBeacon.</summary>
    public const ushort AppleCompanyId = 0x004C;

    internal const byte TypeFlags = 0x01;
    internal const byte TypeIncomplete16 = 0x02;
    internal const byte TypeComplete16 = 0x03;
    internal const byte TypeIncomplete128 = 0x06;
    internal const byte TypeComplete128 = 0x07;
    internal const byte TypeShortName = 0x08;
    internal const byte TypeCompleteName = 0x09;
    internal const byte TypeTxPower = 0x0A;
    internal const byte TypeServiceData16 = 0x16;
    internal const byte TypeManufacturer = 0xFF;

    internal const byte EddystoneUid = 0x00;
    internal const byte EddystoneUrl = 0x10;
    internal const byte EddystoneTlm = 0x20;
    internal const byte EddystoneEid = 0x30;

    /// <summary>Parses <paramref name="advert"/>.</summary>
    /// <param name="advert">The AD structures as the gateway reported them.</param>
    /// <param name="maxLength">The most bytes to read (default <see cref="DefaultMaxLength"/>).</param>
    /// <returns>What could be read; <see cref="BleAdvert.Status"/> says why parsing stopped.</returns>
    public static BleAdvert Parse(ReadOnlySpan<byte> advert, int maxLength = DefaultMaxLength)
    {
        var reader = new AdStructureReader(advert, maxLength);
        var count = 0;
        bool hasFlags = false, hasTx = false, nameComplete = false, hasManufacturer = false, hasService = false;
        byte flags = 0;
        sbyte tx = 0;
        ushort company = 0, serviceUuid = 0;
        ReadOnlySpan<byte> name = default, uuids16 = default, uuids128 = default, manufacturer = default, service = default, frameBody = default;
        var frame = BleFrameKind.None;
        var frameError = BleFrameError.None;

        while (reader.MoveNext())
        {
            count++;
            var structure = reader.Current;
            var data = structure.Data;
            switch (structure.Type)
            {
                case TypeFlags when !hasFlags && data.Length >= 1:
                    hasFlags = true;
                    flags = data[0];
                    break;
                case TypeTxPower when !hasTx && data.Length >= 1:
                    hasTx = true;
                    tx = (sbyte)data[0];
                    break;
                case TypeCompleteName when name.IsEmpty || !nameComplete:
                    name = data;
                    nameComplete = true;
                    break;
                case TypeShortName when name.IsEmpty:
                    name = data;
                    break;
                case TypeIncomplete16 or TypeComplete16 when uuids16.IsEmpty:
                    uuids16 = data[..(data.Length & ~1)];
                    break;
                case TypeIncomplete128 or TypeComplete128 when uuids128.IsEmpty:
                    uuids128 = data[..(data.Length & ~15)];
                    break;
                case TypeManufacturer when data.Length >= 2:
                    var companyId = BinaryPrimitives.ReadUInt16LittleEndian(data);
                    var payload = data[2..];
                    if (!hasManufacturer)
                    {
                        hasManufacturer = true;
                        company = companyId;
                        manufacturer = payload;
                    }

                    if (frame == BleFrameKind.None)
                    {
                        var kind = ClassifyManufacturer(companyId, payload, ref frameError);
                        if (kind != BleFrameKind.None)
                        {
                            frame = kind;
                            frameBody = payload[2..];
                            company = companyId;
                            manufacturer = payload;
                        }
                    }

                    break;
                case TypeServiceData16 when data.Length >= 2:
                    var uuid = BinaryPrimitives.ReadUInt16LittleEndian(data);
                    var serviceData = data[2..];
                    if (!hasService)
                    {
                        hasService = true;
                        serviceUuid = uuid;
                        service = serviceData;
                    }

                    if (frame == BleFrameKind.None && uuid == EddystoneServiceUuid)
                    {
                        var kind = ClassifyEddystone(serviceData, ref frameError);
                        if (kind != BleFrameKind.None)
                        {
                            frame = kind;
                            frameBody = serviceData[1..];
                            serviceUuid = uuid;
                            service = serviceData;
                        }
                    }

                    break;
            }
        }

        return new BleAdvert
        {
            Status = reader.Status,
            BytesRead = reader.BytesRead,
            StructureCount = count,
            HasFlags = hasFlags,
            Flags = flags,
            HasTxPower = hasTx,
            TxPower = tx,
            LocalName = name,
            IsLocalNameComplete = nameComplete,
            ServiceUuids16 = uuids16,
            ServiceUuids128 = uuids128,
            HasManufacturerData = hasManufacturer,
            CompanyId = company,
            ManufacturerData = manufacturer,
            HasServiceData = hasService,
            ServiceDataUuid = serviceUuid,
            ServiceData = service,
            Frame = frame,
            FrameError = frame == BleFrameKind.None ? frameError : BleFrameError.None,
            FrameBody = frameBody,
        };
    }

    /// <summary>Finds an Eddystone-EID in <paramref name="advert"/> without decoding anything else: the resolver's hot path.</summary>
    /// <returns><see langword="false"/> if the advert carries no well-formed EID frame.</returns>
    public static bool TryReadEddystoneEid(ReadOnlySpan<byte> advert, out ulong eid, out sbyte txPowerAt0m, int maxLength = DefaultMaxLength)
    {
        var reader = new AdStructureReader(advert, maxLength);
        while (reader.MoveNext())
        {
            var structure = reader.Current;
            var data = structure.Data;

            // 2 bytes UUID, frame type, tx power, 8 bytes EID.
            if (structure.Type == TypeServiceData16 && data.Length == 12
                && BinaryPrimitives.ReadUInt16LittleEndian(data) == EddystoneServiceUuid && data[2] == EddystoneEid)
            {
                txPowerAt0m = (sbyte)data[3];
                eid = BinaryPrimitives.ReadUInt64BigEndian(data[4..]);
                return true;
            }
        }

        eid = 0;
        txPowerAt0m = 0;
        return false;
    }

    private static BleFrameKind ClassifyManufacturer(ushort companyId, ReadOnlySpan<byte> payload, ref BleFrameError error)
    {
        if (payload.Length < 2)
        {
            return BleFrameKind.None;
        }

        if (companyId == AppleCompanyId && payload[0] == 0x02 && payload[1] == 0x15)
        {
            // 02 15, UUID 16, major 2, minor 2, power 1.
            return Checked(payload.Length == 23, BleFrameKind.IBeacon, ref error);
        }

        if (payload[0] == 0xBE && payload[1] == 0xAC)
        {
            // BE AC, beacon id 20, reference RSSI 1, reserved 1.
            return Checked(payload.Length == 24, BleFrameKind.AltBeacon, ref error);
        }

        return BleFrameKind.None;
    }

    private static BleFrameKind ClassifyEddystone(ReadOnlySpan<byte> serviceData, ref BleFrameError error)
    {
        if (serviceData.IsEmpty)
        {
            return Checked(false, BleFrameKind.None, ref error);
        }

        var bodyLength = serviceData.Length - 1;
        switch (serviceData[0])
        {
            case EddystoneUid:
                // tx 1, namespace 10, instance 6, then 2 RFU bytes that many beacons leave out.
                return Checked(bodyLength is 17 or 19, BleFrameKind.EddystoneUid, ref error);
            case EddystoneUrl:
                // tx 1, scheme 1, 0 to 17 bytes of encoded URL.
                return Checked(bodyLength is >= 2 and <= 19, BleFrameKind.EddystoneUrl, ref error);
            case EddystoneTlm:
                // Version 0 (unencrypted): battery 2, temperature 2, adverts 4, uptime 4.
                return Checked(bodyLength == 13 && serviceData[1] == 0, BleFrameKind.EddystoneTlm, ref error);
            case EddystoneEid:
                return Checked(bodyLength == 9, BleFrameKind.EddystoneEid, ref error);
            default:
                if (error == BleFrameError.None)
                {
                    error = BleFrameError.UnknownEddystoneFrame;
                }

                return BleFrameKind.None;
        }
    }

    private static BleFrameKind Checked(bool lengthOk, BleFrameKind kind, ref BleFrameError error)
    {
        if (lengthOk)
        {
            return kind;
        }

        if (error == BleFrameError.None)
        {
            error = BleFrameError.WrongLength;
        }

        return BleFrameKind.None;
    }
}
