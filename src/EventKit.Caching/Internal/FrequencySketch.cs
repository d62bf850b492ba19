using System.Numerics;

namespace EventKit.Caching.Internal;

/// <summary>
/// A count-min sketch of how often keys were written to L1 (4 rows of saturating byte counters, halved every
/// <c>10 × width</c> increments so that old popularity fades). Bounded memory (4 × width bytes, at most 4 MiB),
/// lock-free; races only make estimates slightly low, which is harmless for an admission hint.
/// </summary>
internal sealed class FrequencySketch
{
    private static readonly uint[] Seeds = [0x9E3779B1, 0x85EBCA77, 0xC2B2AE3D, 0x27D4EB2F];
    private readonly byte[] _counters;
    private readonly int _mask;
    private readonly int _sampleSize;
    private int _additions;

    public FrequencySketch(long capacity)
    {
        // 8 counters per L1 entry keep collisions rare for the keys that churn through a full L1 (a one-off key must
        // not inherit a popular key's count), within 4 MiB.
        var width = (int)BitOperations.RoundUpToPowerOf2((uint)Math.Clamp(capacity * 8, 64, 1 << 20));
        _counters = new byte[width * 4];
        _mask = width - 1;
        _sampleSize = width * 10;
    }

    /// <summary>Counts one more occurrence of <paramref name="key"/> and returns its estimated count (1 to 255).</summary>
    public int Increment(string key)
    {
        var hash = (uint)StringComparer.Ordinal.GetHashCode(key);
        var width = _mask + 1;
        var estimate = int.MaxValue;
        for (var row = 0; row < 4; row++)
        {
            var index = (row * width) + (int)(((hash * Seeds[row]) >> 7) & (uint)_mask);
            var value = _counters[index];
            if (value < byte.MaxValue)
            {
                _counters[index] = ++value;
            }

            estimate = Math.Min(estimate, value);
        }

        if (Interlocked.Increment(ref _additions) >= _sampleSize)
        {
            Age();
        }

        return estimate;
    }

    private void Age()
    {
        Volatile.Write(ref _additions, 0);
        for (var i = 0; i < _counters.Length; i++)
        {
            _counters[i] >>= 1;
        }
    }
}
