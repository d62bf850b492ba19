namespace EventKit.Gates.Ble;

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
