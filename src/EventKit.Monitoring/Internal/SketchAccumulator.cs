namespace EventKit.Monitoring.Internal;

/// <summary>Merges sketches (a window's seconds, several series) and answers quantiles over the merge. Single-threaded.</summary>
internal sealed class SketchAccumulator
{
    private readonly long[] _counts = new long[DDSketch.BucketCount];
    private int _low = int.MaxValue;
    private int _high = -1;

    public long Count { get; private set; }

    public long ZeroCount { get; private set; }

    public double Sum { get; private set; }

    public void Clear()
    {
        if (_high >= 0)
        {
            Array.Clear(_counts, _low, _high - _low + 1);
        }

        _low = int.MaxValue;
        _high = -1;
        Count = 0;
        ZeroCount = 0;
        Sum = 0;
    }

    public void Add(SparseSketch sketch)
    {
        ArgumentNullException.ThrowIfNull(sketch);
        for (var i = 0; i < sketch.Buckets.Length; i++)
        {
            Put(sketch.Buckets[i], sketch.Counts[i]);
        }

        ZeroCount += sketch.ZeroCount;
        Count += sketch.ZeroCount;
        Sum += sketch.Sum;
    }

    public void AddDense(long[] counts, long zeroCount, double sum)
    {
        for (var i = 0; i < counts.Length; i++)
        {
            var count = Volatile.Read(ref counts[i]);
            if (count != 0)
            {
                Put(i, count);
            }
        }

        ZeroCount += zeroCount;
        Count += zeroCount;
        Sum += sum;
    }

    private void Put(int bucket, long count)
    {
        _counts[bucket] += count;
        Count += count;
        _low = Math.Min(_low, bucket);
        _high = Math.Max(_high, bucket);
    }

    /// <summary>The value at rank <c>⌊q·(n-1)⌋</c> of the sorted values, within the sketch's relative accuracy; NaN when empty.</summary>
    public double GetQuantile(double quantile)
    {
        if (Count == 0)
        {
            return double.NaN;
        }

        var rank = (long)Math.Floor(Math.Clamp(quantile, 0, 1) * (Count - 1));
        if (rank < ZeroCount)
        {
            return 0;
        }

        var seen = ZeroCount;
        for (var i = _low; i <= _high; i++)
        {
            seen += _counts[i];
            if (seen > rank)
            {
                return DDSketch.ValueOf(i);
            }
        }

        return DDSketch.ValueOf(_high);
    }
}
