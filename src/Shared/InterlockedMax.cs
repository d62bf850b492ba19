namespace EventKit.Internal;

/// <summary>Max-wins updates of a shared <see langword="long"/> (shared source, compiled into each package).</summary>
internal static class InterlockedMax
{
    /// <summary>Raises <paramref name="location"/> to <paramref name="value"/> unless it already holds more; lock-free.</summary>
    /// <param name="location">The shared value.</param>
    /// <param name="value">The candidate.</param>
    public static void Raise(ref long location, long value)
    {
        var current = Volatile.Read(ref location);
        while (current < value)
        {
            var seen = Interlocked.CompareExchange(ref location, value, current);
            if (seen == current)
            {
                return;
            }

            current = seen;
        }
    }
}
