namespace EventKit;

/// <summary>A BLE gateway: a scanner standing at a gate that reports the adverts it hears.</summary>
/// <param name="Id">The gateway's id (the <c>{gatewayId}</c> of its report URL).</param>
/// <param name="EventId">The event.</param>
/// <param name="Name">Display name.</param>
/// <param name="GateId">The gate its sightings admit to.</param>
/// <param name="ApiKeyHash">The hash of its API key (<see cref="CredentialHasher"/>); the key itself is never stored.</param>
public sealed record Gateway(long Id, long EventId, string Name, long GateId, CredentialHash ApiKeyHash);
