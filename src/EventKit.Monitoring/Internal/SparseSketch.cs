namespace EventKit.Monitoring.Internal;

/// <summary>One second's worth of a <see cref="DDSketch"/>: the non-empty buckets only, immutable.</summary>
internal sealed class SparseSketch(int[] buckets, long[] counts, long zeroCount, double sum)
{
    public int[] Buckets { get; } = buckets;

    public long[] Counts { get; } = counts;

    public long ZeroCount { get; } = zeroCount;

    public double Sum { get; } = sum;

    public long Count
    {
        get
        {
            var total = ZeroCount;
            foreach (var count in Counts)
            {
                total += count;
            }

            return total;
        }
    }
}
