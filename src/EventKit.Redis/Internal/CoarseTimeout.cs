namespace EventKit.Redis.Internal;

/// <summary>
/// One timeout for many concurrent calls without a timer per call. <c>Task.WaitAsync(timeout)</c> creates and disposes
/// a runtime timer for every call, and at thousands of calls per second the timer queue's lock and its timer thread
/// cost more than the calls' own work (the check-in profile in docs/performance.md). Here the calls that start within
/// one slice (1/16 of the timeout, 1–10 ms) share one <see cref="CancellationTokenSource"/> that fires
/// <see cref="Timeout"/> after the end of that slice: every call is given at least <see cref="Timeout"/> and at most
/// one slice more, and a busy node creates at most one timer per slice.
/// </summary>
internal sealed class CoarseTimeout
{
    private readonly TimeProvider _time;
    private readonly long _sliceTicks;
    private Slice? _current;

    public CoarseTimeout(TimeSpan timeout, TimeProvider time)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(timeout, TimeSpan.Zero);
        _time = time;
        Timeout = timeout;
        var slice = Math.Clamp(timeout.TotalSeconds / 16, 0.001, 0.010);
        _sliceTicks = Math.Max(1, (long)(slice * time.TimestampFrequency));
    }

    /// <summary>The least time a call is given.</summary>
    public TimeSpan Timeout { get; }

    /// <summary>A token that is cancelled no sooner than <see cref="Timeout"/> from now (and at most one slice later).</summary>
    public CancellationToken Token()
    {
        while (true)
        {
            var now = _time.GetTimestamp();
            var index = now / _sliceTicks;
            var current = Volatile.Read(ref _current);
            if (current is not null && current.Index == index)
            {
                return current.Source.Token;
            }

            // Due Timeout after the slice ends, so that the slice's last caller is given its whole Timeout too.
            var untilSliceEnd = TimeSpan.FromSeconds((double)(((index + 1) * _sliceTicks) - now) / _time.TimestampFrequency);
#pragma warning disable CA2000 // The source lives until its timer fires (then it holds nothing); callers only register on its token.
            var fresh = new Slice(index, new CancellationTokenSource(untilSliceEnd + Timeout, _time));
#pragma warning restore CA2000
            if (Interlocked.CompareExchange(ref _current, fresh, current) == current)
            {
                return fresh.Source.Token;
            }

            // Another caller opened the slice first: use theirs.
            fresh.Source.Dispose();
        }
    }

    private sealed record Slice(long Index, CancellationTokenSource Source);
}
