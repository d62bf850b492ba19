namespace EventKit;

/// <summary>Stores and lists participants' Eddystone-EID identities for the BLE resolver.</summary>
public interface IBleIdentityStore
{
    /// <summary>Stores (or replaces) a participant's identity. Returns <see langword="false"/> if there is no such participant.</summary>
    Task<bool> SetAsync(BleIdentity identity, CancellationToken cancellationToken = default);

    /// <summary>The identities of an event's active participants.</summary>
    Task<IReadOnlyList<BleIdentity>> GetActiveAsync(long eventId, CancellationToken cancellationToken = default);
}
