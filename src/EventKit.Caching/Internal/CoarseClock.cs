namespace EventKit.Caching.Internal;

/// <summary>
/// The current time in Unix milliseconds, refreshed by a <see cref="TimeProvider"/> timer, so that the L1 hit
/// path reads one field instead of a clock (expiry resolution is the tick, 50 ms).
/// </summary>
internal sealed class CoarseClock : IDisposable
{
    private static readonly TimeSpan Tick = TimeSpan.FromMilliseconds(50);
    private readonly TimeProvider _time;
    private readonly ITimer _timer;
    private long _nowMs;

    public CoarseClock(TimeProvider time)
    {
        _time = time;
        _nowMs = time.GetUtcNow().ToUnixTimeMilliseconds();
        _timer = time.CreateTimer(static state => ((CoarseClock)state!).Refresh(), this, Tick, Tick);
    }

    public long NowMs => Volatile.Read(ref _nowMs);

    /// <summary>Reads the precise clock and publishes it (also used on slow paths that need an exact time).</summary>
    public long Refresh()
    {
        var now = _time.GetUtcNow().ToUnixTimeMilliseconds();
        Volatile.Write(ref _nowMs, now);
        return now;
    }

    public void Dispose() => _timer.Dispose();
}
