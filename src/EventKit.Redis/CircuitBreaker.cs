namespace EventKit.Redis;

/// <summary>
/// Opens after <c>threshold</c> consecutive failures and stays open for a break; after it, calls go through again
/// (half-open): the first success closes it, a failure opens it for another break. Lock-free. The cache's Redis tier
/// and the check-in claims each keep one, so a slow cache read never trips the claims and the reverse.
/// </summary>
/// <param name="threshold">Consecutive failures that open the circuit (at least 1).</param>
/// <param name="breakMs">How long it stays open, in milliseconds.</param>
public sealed class CircuitBreaker(int threshold, long breakMs)
{
    private int _consecutiveFailures;
    private long _openUntilMs;

    /// <summary>Whether calls should be skipped at <paramref name="nowMs"/>.</summary>
    /// <param name="nowMs">The current time in milliseconds (any monotonic or wall clock, used consistently).</param>
    /// <returns><see langword="true"/> while the break lasts.</returns>
    public bool IsOpen(long nowMs) => nowMs < Volatile.Read(ref _openUntilMs);

    /// <summary>Whether the circuit opened and no success has closed it since (it may be half-open now).</summary>
    public bool IsTripped => Volatile.Read(ref _openUntilMs) != 0;

    /// <summary>Records a success.</summary>
    /// <returns><see langword="true"/> when this closes a circuit that was open.</returns>
    public bool OnSuccess()
    {
        Volatile.Write(ref _consecutiveFailures, 0);
        return Volatile.Read(ref _openUntilMs) != 0 && Interlocked.Exchange(ref _openUntilMs, 0) != 0;
    }

    /// <summary>Records a failure.</summary>
    /// <param name="nowMs">The current time in milliseconds.</param>
    /// <returns><see langword="true"/> when this opens the circuit.</returns>
    public bool OnFailure(long nowMs)
    {
        if (Interlocked.Increment(ref _consecutiveFailures) < threshold)
        {
            return false;
        }

        var previous = Interlocked.Exchange(ref _openUntilMs, nowMs + breakMs);
        return previous == 0;
    }

    /// <summary>Closes the circuit and forgets past failures (for example when the connection is restored).</summary>
    public void Reset()
    {
        Volatile.Write(ref _consecutiveFailures, 0);
        Volatile.Write(ref _openUntilMs, 0);
    }
}
