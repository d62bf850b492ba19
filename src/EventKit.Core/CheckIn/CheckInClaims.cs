using EventKit.Internal;

namespace EventKit;

/// <summary>Creates the built-in <see cref="ICheckInClaims"/> implementations.</summary>
public static class CheckInClaims
{
    /// <summary>
    /// Claims held in this process: exact on a single node, and the fallback that distributed
    /// implementations use while their store is unreachable.
    /// </summary>
    /// <param name="timeProvider">The clock that expires claims and answers.</param>
    public static ICheckInClaims CreateInMemory(TimeProvider timeProvider)
    {
        ArgumentNullException.ThrowIfNull(timeProvider);
        return new InMemoryCheckInClaims(timeProvider);
    }
}
