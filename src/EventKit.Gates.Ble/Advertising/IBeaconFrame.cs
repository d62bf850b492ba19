namespace EventKit.Gates.Ble;

/// <summary>An iBeacon frame.</summary>
/// <param name="Uuid">The proximity UUID (read big-endian).</param>
/// <param name="Major">The major number.</param>
/// <param name="Minor">The minor number.</param>
/// <param name="MeasuredPower">The RSSI at 1 m in dBm.</param>
public readonly record struct IBeaconFrame(Guid Uuid, ushort Major, ushort Minor, sbyte MeasuredPower);
