namespace EventKit;

/// <summary>A BLE gateway: a scanner standing at a gate that reports the adverts it hears.</summary>
/// <param name="Id">The gateway's id (the <c>{gatewayId}</c> of its report URL).</param>
/// <param name="EventId">The event.</param>
/// <param name="Name">Display name.</param>
/// <param name="GateId">The gate its sightings admit to.</param>
/// <param name="ApiKeyHash">The hash of its API key (<see cref="CredentialHasher"/>); the key itself is never stored.</param>
public sealed record Gateway(long Id, long EventId, string Name, long GateId, CredentialHash ApiKeyHash);

/// <summary>A newly registered gateway and its API key, which is shown this once.</summary>
/// <param name="Gateway">The gateway.</param>
/// <param name="ApiKey">The API key the gateway sends in <c>X-Gateway-Key</c>. A secret: never log it.</param>
public sealed record GatewayRegistration(Gateway Gateway, string ApiKey)
{
    /// <summary>A description without the key.</summary>
    public override string ToString() => $"GatewayRegistration {{ Gateway = {Gateway} }}";
}

/// <summary>Registers BLE gateways and finds them for authentication.</summary>
public interface IGatewayRegistry
{
    /// <summary>Registers a gateway at a gate and issues its API key (256 random bits, stored hashed).</summary>
    /// <exception cref="ArgumentException">The name is empty or too long, or the gate does not exist.</exception>
    Task<GatewayRegistration> RegisterAsync(long eventId, string name, long gateId, CancellationToken cancellationToken = default);

    /// <summary>Gets a gateway by id, or <see langword="null"/> (also when it was revoked).</summary>
    Task<Gateway?> GetAsync(long gatewayId, CancellationToken cancellationToken = default);

    /// <summary>Issues a new key for a gateway of the event; the old key stops working.</summary>
    /// <returns><see langword="null"/> if the event has no such (unrevoked) gateway.</returns>
    Task<GatewayRegistration?> RotateKeyAsync(long eventId, long gatewayId, CancellationToken cancellationToken = default);

    /// <summary>Revokes a gateway of the event: its key is refused and its reports are no longer accepted.</summary>
    /// <returns><see langword="false"/> if the event has no such (unrevoked) gateway.</returns>
    Task<bool> RevokeAsync(long eventId, long gatewayId, CancellationToken cancellationToken = default);
}
