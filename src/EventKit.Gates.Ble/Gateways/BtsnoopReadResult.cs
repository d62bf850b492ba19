namespace EventKit.Gates.Ble;

/// <summary>What <see cref="BtsnoopReader.Read"/> found.</summary>
/// <param name="Records">Records in the capture.</param>
/// <param name="AdvertisingEvents">LE Advertising Report events among them.</param>
/// <param name="Truncated">Whether the capture ended in the middle of a record (a capture still being written).</param>
public readonly record struct BtsnoopReadResult(int Records, int AdvertisingEvents, bool Truncated);
