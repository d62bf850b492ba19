namespace EventKit.LoadTest;

/// <summary>One second of a run: how many requests completed in it and their mean latency.</summary>
/// <param name="Second">Seconds since the drive started.</param>
/// <param name="Requests">Requests completed in that second.</param>
/// <param name="MeanLatencyMs">Their mean latency in milliseconds (0 when none).</param>
internal sealed record SecondSample(int Second, long Requests, double MeanLatencyMs);
