namespace EventKit;

/// <summary>
/// Finds and re-hashes credentials stored under an older hash scheme (plain SHA-256 before a pepper was set, or a previous
/// pepper), so that a store moves to <see cref="CredentialHasher"/>'s current scheme as credentials are used.
/// </summary>
/// <remarks>Implemented by EventKit.Storage, for the node's event only (events sharing a database may use different
/// peppers). Outdated hashes are never written to caches.</remarks>
public interface ICredentialHashMigration
{
    /// <summary>Whether any participant credential may still be stored under an older scheme (the answer may be a little stale).</summary>
    ValueTask<bool> HasOutdatedParticipantHashesAsync(CancellationToken cancellationToken = default);

    /// <summary>The participant whose credential is stored under one of <paramref name="candidates"/> in an older scheme (active first), or <see langword="null"/>.</summary>
    Task<Participant?> FindParticipantByOutdatedHashAsync(IReadOnlyList<CredentialHash> candidates, CancellationToken cancellationToken = default);

    /// <summary>Replaces a scanner's key hash <paramref name="outdated"/> by <paramref name="current"/> (current scheme); <see langword="false"/> if it no longer holds <paramref name="outdated"/>.</summary>
    Task<bool> UpgradeScannerKeyHashAsync(long scannerId, CredentialHash outdated, CredentialHash current, CancellationToken cancellationToken = default);

    /// <summary>Replaces a gateway's key hash <paramref name="outdated"/> by <paramref name="current"/> (current scheme); <see langword="false"/> if it no longer holds <paramref name="outdated"/>.</summary>
    Task<bool> UpgradeGatewayKeyHashAsync(long gatewayId, CredentialHash outdated, CredentialHash current, CancellationToken cancellationToken = default);
}
