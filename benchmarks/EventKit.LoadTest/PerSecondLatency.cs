namespace EventKit.LoadTest;

/// <summary>
/// One latency histogram per second of a run, shared by every connection (recorded with interlocked increments), so
/// the HTML report can chart p50/p95/p99 over time: ≈ 28 KB per second of run rather than per connection and second.
/// </summary>
internal sealed class PerSecondLatency
{
    private readonly Lock _grow = new();
    private LatencyHistogram[] _seconds = [];

    public void Record(int second, TimeSpan latency) => For(second).RecordConcurrent(latency);

    /// <summary>Every second up to the last one with a request.</summary>
    public SecondSample[] Samples()
    {
        var seconds = Volatile.Read(ref _seconds);
        var length = seconds.Length;
        while (length > 0 && seconds[length - 1].Count == 0)
        {
            length--;
        }

        var samples = new SecondSample[length];
        for (var i = 0; i < length; i++)
        {
            samples[i] = SecondSample.Of(i, seconds[i]);
        }

        return samples;
    }

    private LatencyHistogram For(int second)
    {
        var seconds = Volatile.Read(ref _seconds);
        if (second < seconds.Length)
        {
            return seconds[second];
        }

        lock (_grow)
        {
            seconds = _seconds;
            if (second >= seconds.Length)
            {
                var grown = new LatencyHistogram[Math.Max(second + 1, Math.Max(64, seconds.Length * 2))];
                seconds.CopyTo(grown, 0);
                for (var i = seconds.Length; i < grown.Length; i++)
                {
                    grown[i] = new LatencyHistogram();
                }

                Volatile.Write(ref _seconds, grown);
                seconds = grown;
            }

            return seconds[second];
        }
    }
}
