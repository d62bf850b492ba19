namespace EventKit.Gates.Ble;

/// <summary>An Eddystone-EID frame.</summary>
/// <param name="TxPowerAt0m">The calibrated Tx power at 0 m in dBm.</param>
/// <param name="Eid">The 8-byte ephemeral id, read big-endian (the first byte on air is the most significant).</param>
public readonly record struct EddystoneEidFrame(sbyte TxPowerAt0m, ulong Eid);
