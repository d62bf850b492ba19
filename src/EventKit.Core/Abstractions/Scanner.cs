namespace EventKit;

/// <summary>A check-in scanner (a device at one or more gates) that authenticates with its own API key.</summary>
/// <param name="Id">The scanner's id (also part of its key).</param>
/// <param name="EventId">The event.</param>
/// <param name="Name">Display name.</param>
/// <param name="GateIds">The gates it may check people in at.</param>
/// <param name="ApiKeyHash">The hash of its current API key (<see cref="CredentialHasher"/>); the key itself is never stored.</param>
/// <param name="Revoked">Whether the scanner was revoked (its key is refused).</param>
public sealed record Scanner(long Id, long EventId, string Name, IReadOnlyList<long> GateIds, CredentialHash ApiKeyHash, bool Revoked);
