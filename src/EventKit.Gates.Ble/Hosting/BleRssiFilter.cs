namespace EventKit.Gates.Ble;

/// <summary>How RSSI readings are smoothed before the distance estimate.</summary>
public enum BleRssiFilter
{
    /// <summary>Exponential moving average with <see cref="BleGateOptions.EmaAlpha"/>.</summary>
    Ema = 0,

    /// <summary>A one-dimensional Kalman filter with <see cref="BleGateOptions.KalmanProcessNoise"/> and
    /// <see cref="BleGateOptions.KalmanMeasurementNoise"/>.</summary>
    Kalman = 1,
}
