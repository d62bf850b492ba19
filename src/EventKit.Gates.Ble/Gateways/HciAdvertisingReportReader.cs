namespace EventKit.Gates.Ble;

/// <summary>Reads HCI "LE Advertising Report" events (LE Meta event 0x3E, subevent 0x02) and "LE Extended Advertising
/// Report" events (subevent 0x0D, what BlueZ receives from Bluetooth 5 controllers), as <c>btmon</c> records them.</summary>
/// <remarks>Reports are laid out one after the other, the layout controllers and BlueZ use. A report that runs past the
/// event, has no RSSI (127) or is an extended-advert fragment (data status not "complete") is rejected; the reports before
/// it are kept. Eddystone-EID adverts are legacy-sized and never fragmented.</remarks>
public static class HciAdvertisingReportReader
{
    /// <summary>The HCI event code of LE Meta events.</summary>
    public const byte LeMetaEvent = 0x3E;

    /// <summary>The LE Meta subevent code of LE Advertising Reports.</summary>
    public const byte AdvertisingReportSubevent = 0x02;

    /// <summary>The LE Meta subevent code of LE Extended Advertising Reports.</summary>
    public const byte ExtendedAdvertisingReportSubevent = 0x0D;

    private const sbyte RssiNotAvailable = 127;

    // Event type 2, address type 1, address 6, primary PHY 1, secondary PHY 1, SID 1, tx power 1, RSSI 1,
    // periodic interval 2, direct address type 1, direct address 6, data length 1.
    private const int ExtendedHeaderLength = 24;

    /// <summary>Reads one HCI event packet (starting with the event code, without an H4 packet-type byte).</summary>
    /// <param name="eventPacket">The event: code, parameter length, parameters.</param>
    /// <param name="gatewayId">The gateway (or capture) the event came from.</param>
    /// <param name="timestampMs">When the event was received, in unix ms.</param>
    /// <param name="batch">Receives the sightings; malformed reports count in <see cref="BleSightingBatch.Rejected"/>.</param>
    /// <returns><see langword="false"/> if the packet is not an LE Advertising Report event, or its declared parameter length
    /// leaves no room for the subevent code and the report count (nothing is added or rejected).</returns>
    public static bool Read(ReadOnlySpan<byte> eventPacket, string gatewayId, long timestampMs, BleSightingBatch batch)
    {
        ArgumentNullException.ThrowIfNull(gatewayId);
        ArgumentNullException.ThrowIfNull(batch);
        if (eventPacket.Length < 4 || eventPacket[0] != LeMetaEvent || eventPacket[2] is not (AdvertisingReportSubevent or ExtendedAdvertisingReportSubevent))
        {
            return false;
        }

        // Trust the smaller of the declared and the actual parameter length.
        var parameters = eventPacket[2..];
        if (eventPacket[1] < parameters.Length)
        {
            parameters = parameters[..eventPacket[1]];
        }

        // A declared length of 0 or 1 leaves no room for the subevent code and the report count.
        if (parameters.Length < 2)
        {
            return false;
        }

        if (parameters[0] == ExtendedAdvertisingReportSubevent)
        {
            ReadExtended(parameters, gatewayId, timestampMs, batch);
            return true;
        }

        int reports = parameters[1];
        var offset = 2;
        for (var i = 0; i < reports; i++)
        {
            // Event type 1, address type 1, address 6, data length 1.
            if (parameters.Length - offset < 9)
            {
                batch.Rejected += reports - i;
                return true;
            }

            var address = parameters.Slice(offset + 2, 6);
            int dataLength = parameters[offset + 8];
            if (parameters.Length - offset - 9 < dataLength + 1)
            {
                batch.Rejected += reports - i;
                return true;
            }

            var data = parameters.Slice(offset + 9, dataLength);
            var rssi = (sbyte)parameters[offset + 9 + dataLength];
            offset += 10 + dataLength;
            if (rssi == RssiNotAvailable)
            {
                batch.Rejected++;
                continue;
            }

            batch.Add(gatewayId, ReadAddress(address), rssi, timestampMs, data);
        }

        return true;
    }

    private static void ReadExtended(ReadOnlySpan<byte> parameters, string gatewayId, long timestampMs, BleSightingBatch batch)
    {
        int reports = parameters[1];
        var offset = 2;
        for (var i = 0; i < reports; i++)
        {
            if (parameters.Length - offset < ExtendedHeaderLength)
            {
                batch.Rejected += reports - i;
                return;
            }

            var report = parameters[offset..];
            int dataLength = report[23];
            if (report.Length - ExtendedHeaderLength < dataLength)
            {
                batch.Rejected += reports - i;
                return;
            }

            offset += ExtendedHeaderLength + dataLength;

            // Bits 5–6 of the event type: 0 complete, 1 more fragments follow, 2 truncated.
            var dataStatus = (report[0] >> 5) & 0x3;
            var rssi = (sbyte)report[13];
            if (dataStatus != 0 || rssi == RssiNotAvailable)
            {
                batch.Rejected++;
                continue;
            }

            batch.Add(gatewayId, ReadAddress(report.Slice(3, 6)), rssi, timestampMs, report.Slice(ExtendedHeaderLength, dataLength));
        }
    }

    /// <summary>HCI sends addresses least significant byte first.</summary>
    private static ulong ReadAddress(ReadOnlySpan<byte> address)
    {
        ulong mac = 0;
        for (var i = 5; i >= 0; i--)
        {
            mac = (mac << 8) | address[i];
        }

        return mac;
    }
}
