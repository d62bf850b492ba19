namespace EventKit;

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
