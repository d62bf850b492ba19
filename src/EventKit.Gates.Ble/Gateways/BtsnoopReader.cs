using System.Buffers.Binary;

namespace EventKit.Gates.Ble;

/// <summary>Replays btsnoop captures (what <c>btmon -w</c> and Android's HCI snoop log write) into sightings.</summary>
/// <remarks>Supports the datalinks 1001 (un-encapsulated HCI), 1002 (HCI UART, H4) and 2001 (Linux monitor, btmon); only
/// LE Advertising Report events are read, everything else in the capture is skipped.</remarks>
public static class BtsnoopReader
{
    /// <summary>Microseconds from btsnoop's epoch (0 AD) to the unix epoch.</summary>
    internal const long EpochDeltaMicroseconds = 0x00dcddb30f2f8000;

    private const int HeaderLength = 16;
    private const int RecordHeaderLength = 24;
    private const uint DatalinkH1 = 1001;
    private const uint DatalinkH4 = 1002;
    private const uint DatalinkMonitor = 2001;
    private const byte H4Event = 0x04;
    private const ushort MonitorEventOpcode = 0x0003;

    /// <summary>Reads a whole capture.</summary>
    /// <param name="capture">The file's bytes.</param>
    /// <param name="gatewayId">The gateway to attribute sightings to.</param>
    /// <param name="batch">Receives the sightings.</param>
    /// <returns>How many records the capture held and whether it ended in the middle of one.</returns>
    /// <exception cref="BleReportFormatException">The header is not a btsnoop header of a supported datalink.</exception>
    public static BtsnoopReadResult Read(ReadOnlySpan<byte> capture, string gatewayId, BleSightingBatch batch)
    {
        ArgumentNullException.ThrowIfNull(gatewayId);
        ArgumentNullException.ThrowIfNull(batch);
        if (capture.Length < HeaderLength || !capture[..8].SequenceEqual("btsnoop\0"u8))
        {
            throw new BleReportFormatException("The capture does not start with a btsnoop header.");
        }

        var datalink = BinaryPrimitives.ReadUInt32BigEndian(capture[12..]);
        if (datalink is not (DatalinkH1 or DatalinkH4 or DatalinkMonitor))
        {
            throw new BleReportFormatException($"The btsnoop datalink {datalink} is not supported (1001, 1002 and 2001 are).");
        }

        var offset = HeaderLength;
        var records = 0;
        var events = 0;
        while (capture.Length - offset >= RecordHeaderLength)
        {
            var included = BinaryPrimitives.ReadUInt32BigEndian(capture[(offset + 4)..]);
            var flags = BinaryPrimitives.ReadUInt32BigEndian(capture[(offset + 8)..]);
            var timestamp = BinaryPrimitives.ReadInt64BigEndian(capture[(offset + 16)..]);
            if (included > (uint)(capture.Length - offset - RecordHeaderLength))
            {
                return new BtsnoopReadResult(records, events, Truncated: true);
            }

            var packet = capture.Slice(offset + RecordHeaderLength, (int)included);
            offset += RecordHeaderLength + (int)included;
            records++;

            if (TryGetEvent(datalink, flags, packet, out var hciEvent)
                && HciAdvertisingReportReader.Read(hciEvent, gatewayId, (timestamp - EpochDeltaMicroseconds) / 1000, batch))
            {
                events++;
            }
        }

        return new BtsnoopReadResult(records, events, Truncated: offset != capture.Length);
    }

    private static bool TryGetEvent(uint datalink, uint flags, ReadOnlySpan<byte> packet, out ReadOnlySpan<byte> hciEvent)
    {
        hciEvent = default;
        switch (datalink)
        {
            case DatalinkH1:
                // Bit 1 set: command or event; bit 0 set: received (controller to host).
                if ((flags & 0x3) == 0x3)
                {
                    hciEvent = packet;
                }

                break;
            case DatalinkH4:
                if (packet.Length > 1 && packet[0] == H4Event)
                {
                    hciEvent = packet[1..];
                }

                break;
            case DatalinkMonitor:
                // Flags: controller index in the top 16 bits, monitor opcode in the low 16.
                if ((flags & 0xFFFF) == MonitorEventOpcode)
                {
                    hciEvent = packet;
                }

                break;
        }

        return !hciEvent.IsEmpty;
    }
}
