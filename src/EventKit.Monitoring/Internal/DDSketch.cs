namespace EventKit.Monitoring.Internal;

/// <summary>
/// A DDSketch-style quantile sketch (Masson, Rim, Lee, VLDB 2019): values fall into logarithmic buckets
/// <c>(γ^(i-1), γ^i]</c> with <c>γ = (1 + α) / (1 - α)</c>, so every quantile it answers is within a relative error
/// <c>α</c> of the exact one. Recording is lock-free (one <see cref="Interlocked"/> increment per value, plus one for
/// the sum) and allocation-free; sketches merge by adding bucket counts, which is what the 1/5/15-minute views do.
/// </summary>
/// <remarks>
/// Dense store over <see cref="MinValue"/>..<see cref="MaxValue"/> (2,600 buckets, 21 KB). Values at or below
/// <see cref="MinValue"/> (including zero and negatives) count in a zero bucket and read back as 0; values above
/// <see cref="MaxValue"/> are clamped into the top bucket.
/// </remarks>
internal sealed class DDSketch
{
    /// <summary>The relative accuracy α (0.8 %, inside the 1 % the issue asks for).</summary>
    public const double RelativeAccuracy = 0.008;

    public const double MinValue = 1e-9;
    public const double MaxValue = 1e9;

    private static readonly double Gamma = (1 + RelativeAccuracy) / (1 - RelativeAccuracy);
    private static readonly double InverseLogGamma = 1 / Math.Log(Gamma);
    private static readonly int MinIndex = (int)Math.Ceiling(Math.Log(MinValue) * InverseLogGamma);
    private static readonly int MaxIndex = (int)Math.Ceiling(Math.Log(MaxValue) * InverseLogGamma);

    /// <summary>Number of buckets in the dense store.</summary>
    public static readonly int BucketCount = MaxIndex - MinIndex + 1;

    private readonly long[] _counts = new long[BucketCount];
    private long _zeroCount;
    private double _sum;

    /// <summary>Records one value. Lock-free, allocation-free, safe from any number of threads.</summary>
    public void Record(double value)
    {
        var bucket = BucketOf(value);
        if (bucket < 0)
        {
            Interlocked.Increment(ref _zeroCount);
        }
        else
        {
            Interlocked.Increment(ref _counts[bucket]);
        }

        if (value > 0)
        {
            AddToSum(value);
        }
    }

    /// <summary>The bucket of <paramref name="value"/> in the dense store, or -1 for the zero bucket.</summary>
    public static int BucketOf(double value)
    {
        if (!(value > MinValue))
        {
            return -1;
        }

        if (value >= MaxValue)
        {
            return BucketCount - 1;
        }

        var index = (int)Math.Ceiling(Math.Log(value) * InverseLogGamma);
        return Math.Clamp(index - MinIndex, 0, BucketCount - 1);
    }

    /// <summary>The value a bucket stands for: within <see cref="RelativeAccuracy"/> of every value it holds.</summary>
    public static double ValueOf(int bucket) => bucket < 0 ? 0 : 2 * Math.Pow(Gamma, bucket + MinIndex) / (Gamma + 1);

    /// <summary>Moves everything recorded so far into a compact snapshot and leaves this sketch empty, without losing a concurrent write.</summary>
    /// <returns>The snapshot, or <see langword="null"/> when nothing was recorded.</returns>
    public SparseSketch? Harvest()
    {
        var zero = Interlocked.Exchange(ref _zeroCount, 0);
        var sum = Interlocked.Exchange(ref _sum, 0);
        var nonZero = 0;
        for (var i = 0; i < _counts.Length; i++)
        {
            if (Volatile.Read(ref _counts[i]) != 0)
            {
                nonZero++;
            }
        }

        if (nonZero == 0 && zero == 0)
        {
            return null;
        }

        var buckets = new int[nonZero];
        var counts = new long[nonZero];
        var n = 0;
        for (var i = 0; i < _counts.Length && n < nonZero; i++)
        {
            if (Volatile.Read(ref _counts[i]) != 0)
            {
                // A write landing between the scan and here is taken now; one landing after stays for the next harvest.
                buckets[n] = i;
                counts[n] = Interlocked.Exchange(ref _counts[i], 0);
                n++;
            }
        }

        return new SparseSketch(buckets, counts, zero, sum);
    }

    private void AddToSum(double value)
    {
        var current = Volatile.Read(ref _sum);
        while (true)
        {
            var seen = Interlocked.CompareExchange(ref _sum, current + value, current);
            if (seen.Equals(current))
            {
                return;
            }

            current = seen;
        }
    }

    /// <summary>Reads quantiles from the counts recorded so far (for tests and single-threaded use: not a consistent cut under writes).</summary>
    public double GetQuantile(double quantile)
    {
        var accumulator = new SketchAccumulator();
        accumulator.AddDense(_counts, Volatile.Read(ref _zeroCount), Volatile.Read(ref _sum));
        return accumulator.GetQuantile(quantile);
    }
}
