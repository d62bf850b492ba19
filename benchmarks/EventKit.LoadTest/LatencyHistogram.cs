namespace EventKit.LoadTest;

/// <summary>
/// Log-linear latency histogram (≈1 % precision from 1 µs to ~100 s), lock-free per worker and
/// mergeable: percentiles of millions of requests without keeping every sample.
/// </summary>
internal sealed class LatencyHistogram
{
    private const int SubBuckets = 128;
    private const int Magnitudes = 28;
    private readonly long[] _counts = new long[SubBuckets * Magnitudes];

    private long _count;

    public long Count => Volatile.Read(ref _count);

    /// <summary>Records from one thread (a worker's own histogram).</summary>
    public void Record(TimeSpan latency)
    {
        _counts[Index(latency)]++;
        _count++;
    }

    /// <summary>Records from any thread (a histogram every worker shares, such as one second's).</summary>
    public void RecordConcurrent(TimeSpan latency)
    {
        Interlocked.Increment(ref _counts[Index(latency)]);
        Interlocked.Increment(ref _count);
    }

    private int Index(TimeSpan latency)
    {
        var micros = Math.Max(1, (long)latency.TotalMicroseconds);
        var magnitude = (int)Math.Max(0, 63 - long.LeadingZeroCount(micros) - 6);
        var sub = (int)(micros >> magnitude) - (magnitude == 0 ? 0 : 64);
        return Math.Min(_counts.Length - 1, (magnitude * SubBuckets) + sub);
    }

    public void Add(LatencyHistogram other)
    {
        for (var i = 0; i < _counts.Length; i++)
        {
            _counts[i] += other._counts[i];
        }

        _count += other.Count;
    }

    public TimeSpan Percentile(double p)
    {
        if (Count == 0)
        {
            return TimeSpan.Zero;
        }

        var target = (long)Math.Ceiling(Count * p / 100.0);
        long seen = 0;
        for (var i = 0; i < _counts.Length; i++)
        {
            seen += _counts[i];
            if (seen >= target)
            {
                return TimeSpan.FromMicroseconds(UpperBound(i));
            }
        }

        return TimeSpan.FromMicroseconds(UpperBound(_counts.Length - 1));
    }

    private static long UpperBound(int index)
    {
        var magnitude = index / SubBuckets;
        var sub = index % SubBuckets;
        return magnitude == 0 ? sub + 1 : ((sub + 64L) << magnitude) + (1L << magnitude) - 1;
    }
}
