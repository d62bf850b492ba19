namespace EventKit.Gates.Ble.Tests.Gateways;

/// <summary>Builds HCI events and btsnoop files byte by byte, as a controller and btmon would.</summary>
internal static class HciCaptures
{
    public static byte[] AdvertisingReport(params (ulong Mac, byte[] Data, sbyte Rssi)[] reports)
    {
        var parameters = new List<byte> { 0x02, (byte)reports.Length };
        foreach (var (mac, data, rssi) in reports)
        {
            parameters.Add(0x00); // ADV_IND
            parameters.Add(0x01); // random address
            for (var i = 0; i < 6; i++)
            {
                parameters.Add((byte)(mac >> (8 * i)));
            }

            parameters.Add((byte)data.Length);
            parameters.AddRange(data);
            parameters.Add((byte)rssi);
        }

        return [0x3E, (byte)parameters.Count, .. parameters];
    }

    public static byte[] ExtendedAdvertisingReport(params (ulong Mac, byte[] Data, sbyte Rssi, int DataStatus)[] reports)
    {
        var parameters = new List<byte> { 0x0D, (byte)reports.Length };
        foreach (var (mac, data, rssi, status) in reports)
        {
            parameters.Add((byte)(0x13 | (status << 5))); // legacy ADV_IND bits + data status
            parameters.Add(0x00);
            parameters.Add(0x01); // random address
            for (var i = 0; i < 6; i++)
            {
                parameters.Add((byte)(mac >> (8 * i)));
            }

            parameters.AddRange([0x01, 0x00, 0xFF, 0x7F, (byte)rssi, 0x00, 0x00, 0x00, 0, 0, 0, 0, 0, 0]);
            parameters.Add((byte)data.Length);
            parameters.AddRange(data);
        }

        return [0x3E, (byte)parameters.Count, .. parameters];
    }

    public static byte[] Btsnoop(uint datalink, params (uint Flags, long UnixMs, byte[] Packet)[] records)
    {
        var file = new List<byte>();
        file.AddRange("btsnoop\0"u8.ToArray());
        AddUInt32(file, 1);
        AddUInt32(file, datalink);
        foreach (var (flags, unixMs, packet) in records)
        {
            AddUInt32(file, (uint)packet.Length);
            AddUInt32(file, (uint)packet.Length);
            AddUInt32(file, flags);
            AddUInt32(file, 0);
            var timestamp = (unixMs * 1000) + 0x00dcddb30f2f8000;
            AddUInt32(file, (uint)(timestamp >> 32));
            AddUInt32(file, (uint)timestamp);
            file.AddRange(packet);
        }

        return [.. file];
    }

    private static void AddUInt32(List<byte> bytes, uint value)
    {
        bytes.Add((byte)(value >> 24));
        bytes.Add((byte)(value >> 16));
        bytes.Add((byte)(value >> 8));
        bytes.Add((byte)value);
    }
}
