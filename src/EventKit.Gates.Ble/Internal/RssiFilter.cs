namespace EventKit.Gates.Ble.Internal;

/// <summary>The RSSI filters, as pure functions over a device's state so the state stays one struct in an array.</summary>
internal static class RssiFilter
{
    public static double Ema(ref double estimate, ref bool hasEstimate, double reading, double alpha)
    {
        estimate = hasEstimate ? estimate + (alpha * (reading - estimate)) : reading;
        hasEstimate = true;
        return estimate;
    }

    /// <summary>A 1-D Kalman filter with a constant model: predict adds the process noise, update blends by the gain.</summary>
    public static double Kalman(ref double estimate, ref double variance, ref bool hasEstimate, double reading, double processNoise, double measurementNoise)
    {
        if (!hasEstimate)
        {
            estimate = reading;
            variance = measurementNoise;
            hasEstimate = true;
            return estimate;
        }

        var predicted = variance + processNoise;
        var gain = predicted / (predicted + measurementNoise);
        estimate += gain * (reading - estimate);
        variance = (1 - gain) * predicted;
        return estimate;
    }

    /// <summary>d = 10^((P₁ₘ − RSSI) / (10·n)).</summary>
    public static double Distance(double rssi, double measuredPowerAt1m, double pathLossExponent)
        => Math.Pow(10, (measuredPowerAt1m - rssi) / (10 * pathLossExponent));
}
