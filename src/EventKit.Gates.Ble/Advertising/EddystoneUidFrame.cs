namespace EventKit.Gates.Ble;

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
