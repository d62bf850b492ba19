namespace EventKit;

/// <summary>Issues, rotates and revokes scanner keys, and finds scanners for authentication.</summary>
/// <remarks>Keys have the form <c>eks_{id}_{43 base64url characters}</c> (see <see cref="ScannerKey"/>): the id lets
/// authentication find the scanner with one primary-key lookup; the 256 random bits are the secret.</remarks>
public interface IScannerRegistry
{
    /// <summary>Creates a scanner allowed at <paramref name="gateIds"/> and issues its key.</summary>
    /// <exception cref="ArgumentException">The name is empty or too long, there are no gates, or a gate is not one of the event's.</exception>
    Task<ScannerRegistration> CreateAsync(long eventId, string name, IReadOnlyList<long> gateIds, CancellationToken cancellationToken = default);

    /// <summary>Gets a scanner by id (revoked ones included), or <see langword="null"/>.</summary>
    Task<Scanner?> GetAsync(long scannerId, CancellationToken cancellationToken = default);

    /// <summary>Issues a new key for a scanner of the event; the old key stops working.</summary>
    /// <returns><see langword="null"/> if the event has no such scanner, or it is revoked.</returns>
    Task<ScannerRegistration?> RotateKeyAsync(long eventId, long scannerId, CancellationToken cancellationToken = default);

    /// <summary>Revokes a scanner of the event; its key is refused from then on.</summary>
    /// <returns><see langword="false"/> if the event has no such (unrevoked) scanner.</returns>
    Task<bool> RevokeAsync(long eventId, long scannerId, CancellationToken cancellationToken = default);
}
