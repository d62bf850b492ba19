namespace EventKit.LoadTest;

/// <summary>One second of a run: how many requests completed in it and their latency percentiles.</summary>
/// <param name="Second">Seconds since the drive started.</param>
/// <param name="Requests">Requests completed in that second.</param>
/// <param name="P50Ms">Their median latency in milliseconds (0 when none).</param>
/// <param name="P95Ms">Their 95th percentile in milliseconds.</param>
/// <param name="P99Ms">Their 99th percentile in milliseconds.</param>
internal sealed record SecondSample(int Second, long Requests, double P50Ms, double P95Ms, double P99Ms)
{
    /// <summary>The sample of one second's histogram.</summary>
    public static SecondSample Of(int second, LatencyHistogram latency) => new(
        second,
        latency.Count,
        latency.Percentile(50).TotalMilliseconds,
        latency.Percentile(95).TotalMilliseconds,
        latency.Percentile(99).TotalMilliseconds);
}
