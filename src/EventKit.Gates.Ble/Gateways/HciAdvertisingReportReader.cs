namespace EventKit.Gates.Ble;

/// <summary>Reads HCI "LE Advertising Report" events (LE Meta event 0x3E, subevent 0x02), as a controller sends them to
/// the host and as <c>btmon</c> records them.</summary>
/// <remarks>Reports are laid out one after the other (event type, address type, address, data length, data, RSSI), the
/// layout controllers and BlueZ use. A report that runs past the event or has no RSSI (127) is rejected; the reports before
/// it are kept.</remarks>
public static class HciAdvertisingReportReader
{
    /// <summary>The HCI event code of LE Meta events.</summary>
    public const byte LeMetaEvent = 0x3E;

    /// <summary>The LE Meta subevent code of LE Advertising Reports.</summary>
    public const byte AdvertisingReportSubevent = 0x02;

    private const sbyte RssiNotAvailable = 127;

    /// <summary>Reads one HCI event packet (starting with the event code, without an H4 packet-type byte).</summary>
    /// <param name="eventPacket">The event: code, parameter length, parameters.</param>
    /// <param name="gatewayId">The gateway (or capture) the event came from.</param>
    /// <param name="timestampMs">When the event was received, in unix ms.</param>
    /// <param name="batch">Receives the sightings; malformed reports count in <see cref="BleSightingBatch.Rejected"/>.</param>
    /// <returns><see langword="false"/> if the packet is not an LE Advertising Report event (nothing is added or rejected).</returns>
    public static bool Read(ReadOnlySpan<byte> eventPacket, string gatewayId, long timestampMs, BleSightingBatch batch)
    {
        ArgumentNullException.ThrowIfNull(gatewayId);
        ArgumentNullException.ThrowIfNull(batch);
        if (eventPacket.Length < 4 || eventPacket[0] != LeMetaEvent || eventPacket[2] != AdvertisingReportSubevent)
        {
            return false;
        }

        // Trust the smaller of the declared and the actual parameter length.
        var parameters = eventPacket[2..];
        if (eventPacket[1] < parameters.Length)
        {
            parameters = parameters[..eventPacket[1]];
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
