namespace EventKit.Caching.Internal;

/// <summary>
/// Opens after <c>threshold</c> consecutive L2 failures and stays open for a break; after it, calls go through
/// again (half-open): the first success closes it, a failure opens it for another break. Lock-free.
/// </summary>
internal sealed class CircuitBreaker(int threshold, long breakMs)
{
    private int _consecutiveFailures;
    private long _openUntilMs;

    public bool IsOpen(long nowMs) => nowMs < Volatile.Read(ref _openUntilMs);

    public bool IsTripped => Volatile.Read(ref _openUntilMs) != 0;

    /// <summary>Records a success; returns <see langword="true"/> when this closes a circuit that was open.</summary>
    public bool OnSuccess()
    {
        Volatile.Write(ref _consecutiveFailures, 0);
        return Interlocked.Exchange(ref _openUntilMs, 0) != 0;
    }

    /// <summary>Records a failure; returns <see langword="true"/> when this opens the circuit.</summary>
    public bool OnFailure(long nowMs)
    {
        if (Interlocked.Increment(ref _consecutiveFailures) < threshold)
        {
            return false;
        }

        var previous = Interlocked.Exchange(ref _openUntilMs, nowMs + breakMs);
        return previous == 0;
    }

    public void Reset()
    {
        Volatile.Write(ref _consecutiveFailures, 0);
        Volatile.Write(ref _openUntilMs, 0);
    }
}
