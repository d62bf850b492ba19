using System.Text;

namespace EventKit.Gates.Ble;

/// <summary>An iBeacon frame.</summary>
/// <param name="Uuid">The proximity UUID (read big-endian).</param>
/// <param name="Major">The major number.</param>
/// <param name="Minor">The minor number.</param>
/// <param name="MeasuredPower">The RSSI at 1 m in dBm.</param>
public readonly record struct IBeaconFrame(Guid Uuid, ushort Major, ushort Minor, sbyte MeasuredPower);

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

/// <summary>An Eddystone-UID frame.</summary>
public readonly ref struct EddystoneUidFrame
{
    internal EddystoneUidFrame(sbyte txPowerAt0m, ReadOnlySpan<byte> @namespace, ReadOnlySpan<byte> instance)
    {
        TxPowerAt0m = txPowerAt0m;
        Namespace = @namespace;
        Instance = instance;
    }

    /// <summary>The calibrated Tx power at 0 m in dBm.</summary>
    public sbyte TxPowerAt0m { get; }

    /// <summary>The 10-byte namespace.</summary>
    public ReadOnlySpan<byte> Namespace { get; }

    /// <summary>The 6-byte instance.</summary>
    public ReadOnlySpan<byte> Instance { get; }

    /// <summary>The instance as a 48-bit big-endian number (a badge number).</summary>
    public ulong InstanceNumber
    {
        get
        {
            ulong value = 0;
            foreach (var b in Instance)
            {
                value = (value << 8) | b;
            }

            return value;
        }
    }
}

/// <summary>An Eddystone-URL frame.</summary>
public readonly ref struct EddystoneUrlFrame
{
    private static readonly string[] Schemes = ["http://www.", "https://www.", "http://", "https://"];
    private static readonly string[] Expansions =
    [
        ".com/", ".org/", ".edu/", ".net/", ".info/", ".biz/", ".gov/",
        ".com", ".org", ".edu", ".net", ".info", ".biz", ".gov",
    ];

    internal EddystoneUrlFrame(sbyte txPowerAt0m, byte scheme, ReadOnlySpan<byte> encodedUrl)
    {
        TxPowerAt0m = txPowerAt0m;
        Scheme = scheme;
        EncodedUrl = encodedUrl;
    }

    /// <summary>The calibrated Tx power at 0 m in dBm.</summary>
    public sbyte TxPowerAt0m { get; }

    /// <summary>The URL scheme prefix code (0 <c>http://www.</c>, 1 <c>https://www.</c>, 2 <c>http://</c>, 3 <c>https://</c>).</summary>
    public byte Scheme { get; }

    /// <summary>The encoded URL after the scheme byte.</summary>
    public ReadOnlySpan<byte> EncodedUrl { get; }

    /// <summary>Expands the URL (allocates the string; not for hot paths).</summary>
    /// <returns><see langword="false"/> for an unknown scheme or a byte that is not printable ASCII or an expansion code.</returns>
    public bool TryDecode(out string url)
    {
        url = string.Empty;
        if (Scheme >= Schemes.Length)
        {
            return false;
        }

        var builder = new StringBuilder(Schemes[Scheme]);
        foreach (var b in EncodedUrl)
        {
            if (b < Expansions.Length)
            {
                builder.Append(Expansions[b]);
            }
            else if (b is > 0x20 and < 0x7F)
            {
                builder.Append((char)b);
            }
            else
            {
                return false;
            }
        }

        url = builder.ToString();
        return true;
    }
}

/// <summary>An unencrypted Eddystone-TLM frame.</summary>
/// <param name="Version">The TLM version (0 = unencrypted).</param>
/// <param name="BatteryMillivolts">Battery voltage in mV (0 if not supported).</param>
/// <param name="TemperatureRaw">Temperature in signed 8.8 fixed point °C (0x8000 if not supported).</param>
/// <param name="AdvertCount">Adverts sent since power-up.</param>
/// <param name="UptimeDeciseconds">Time since power-up in 0.1 s.</param>
public readonly record struct EddystoneTlmFrame(byte Version, ushort BatteryMillivolts, short TemperatureRaw, uint AdvertCount, uint UptimeDeciseconds)
{
    /// <summary>The temperature in °C, or <see langword="null"/> when the beacon does not report one.</summary>
    public double? TemperatureCelsius => TemperatureRaw == short.MinValue ? null : TemperatureRaw / 256.0;
}

/// <summary>An Eddystone-EID frame.</summary>
/// <param name="TxPowerAt0m">The calibrated Tx power at 0 m in dBm.</param>
/// <param name="Eid">The 8-byte ephemeral id, read big-endian (the first byte on air is the most significant).</param>
public readonly record struct EddystoneEidFrame(sbyte TxPowerAt0m, ulong Eid);
