namespace EventKit.Scaling;

/// <summary>A lease held in Redis with its fencing token.</summary>
/// <param name="Name">The lease's name.</param>
/// <param name="Owner">The node holding it.</param>
/// <param name="Token">The fencing token: strictly higher for every new holder (Redis <c>INCR</c>). Pass it to every action the lease guards.</param>
/// <param name="ValidUntil">Until when the holder may act on it, by its own clock (measured from before the request, so never later than Redis's expiry).</param>
public sealed record FencedLease(string Name, string Owner, long Token, DateTimeOffset ValidUntil);
