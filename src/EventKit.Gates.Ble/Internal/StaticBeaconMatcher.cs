namespace EventKit.Gates.Ble.Internal;

/// <summary>Recognises the event's static badges (iBeacon UUID, Eddystone-UID namespace) and their badge numbers.</summary>
internal sealed class StaticBeaconMatcher
{
    private readonly Guid? _iBeaconUuid;
    private readonly byte[]? _namespace;

    public StaticBeaconMatcher(BleGateOptions options)
    {
        Enabled = options.EnableStaticBeacons;
        _iBeaconUuid = options.StaticIBeaconUuid;
        if (options.StaticEddystoneNamespace is { } ns && TryParseNamespace(ns, out var bytes))
        {
            _namespace = bytes;
        }
    }

    public bool Enabled { get; }

    public static bool TryParseNamespace(string text, out byte[] bytes)
    {
        bytes = new byte[10];
        return text.Length == 20 && Convert.FromHexString(text, bytes, out _, out var written) == System.Buffers.OperationStatus.Done && written == 10;
    }

    public bool TryGetBadge(in BleAdvert advert, out ulong badge)
    {
        if (advert.TryGetIBeacon(out var iBeacon) && _iBeaconUuid == iBeacon.Uuid)
        {
            badge = ((ulong)iBeacon.Major << 16) | iBeacon.Minor;
            return true;
        }

        if (_namespace is not null && advert.TryGetEddystoneUid(out var uid) && uid.Namespace.SequenceEqual(_namespace))
        {
            badge = uid.InstanceNumber;
            return true;
        }

        badge = 0;
        return false;
    }
}
