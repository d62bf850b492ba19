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
    /// <param name="capacity">Entries kept at most (<see cref="EventKitOptions.ClaimsCapacity"/>); the oldest are evicted past it.</param>
    /// <param name="recoveryWindow">
    /// How long after creation (and after an eviction) the store reports free passages and new requests as unverified,
    /// so that the pipeline asks PostgreSQL: a restarted node does not know what it admitted before. Zero for a fallback
    /// whose owner decides that itself.
    /// </param>
    /// <returns>The store.</returns>
    public static ICheckInClaims CreateInMemory(TimeProvider timeProvider, int capacity = 1_000_000, TimeSpan recoveryWindow = default)
    {
        ArgumentNullException.ThrowIfNull(timeProvider);
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        return new InMemoryCheckInClaims(timeProvider, capacity, recoveryWindow);
    }
}
