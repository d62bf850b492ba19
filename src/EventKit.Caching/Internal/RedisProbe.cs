namespace EventKit.Caching.Internal;

/// <summary>What a <c>PING</c> past the L2 circuit found.</summary>
/// <param name="Answered">Whether Redis answered (the circuit is closed now).</param>
/// <param name="WasTripped">Whether the circuit was open or half-open before the probe.</param>
/// <param name="Error">Why it did not answer.</param>
internal readonly record struct RedisProbe(bool Answered, bool WasTripped, string? Error);
