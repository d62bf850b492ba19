using System.Security.Cryptography;

namespace EventKit.Gates.Ble;

/// <summary>Provisions (or rotates) participants' Eddystone-EID identity keys: random keys, stored through
/// <see cref="IBleIdentityStore"/> and put into the resolver at once.</summary>
public sealed class BleIdentityProvisioner
{
    private readonly IBleIdentityStore _store;
    private readonly EddystoneEidResolver _resolver;

    /// <summary>Creates a provisioner.</summary>
    public BleIdentityProvisioner(IBleIdentityStore store, EddystoneEidResolver resolver)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(resolver);
        _store = store;
        _resolver = resolver;
    }

    /// <summary>Creates a new random identity key for a participant, replacing any earlier one (whose EIDs stop resolving).</summary>
    /// <param name="participantId">The participant.</param>
    /// <param name="rotationExponent">K, 0 to 15: the EID changes every 2^K seconds.</param>
    /// <param name="clockOffset">Subtracted from unix seconds to give the EID counter.</param>
    /// <param name="cancellationToken">Cancels the store call.</param>
    /// <returns>The identity to hand to the participant's phone app (it holds the secret key), or <see langword="null"/> if
    /// the participant does not exist.</returns>
    public async Task<BleIdentity?> ProvisionAsync(long participantId, byte rotationExponent = BleIdentity.DefaultRotationExponent, uint clockOffset = 0, CancellationToken cancellationToken = default)
    {
        Span<byte> key = stackalloc byte[BleIdentity.KeyLength];
        RandomNumberGenerator.Fill(key);
        var identity = new BleIdentity(participantId, key, rotationExponent, clockOffset);
        CryptographicOperations.ZeroMemory(key);
        if (!await _store.SetAsync(identity, cancellationToken).ConfigureAwait(false))
        {
            return null;
        }

        _resolver.AddOrUpdate(identity);
        return identity;
    }
}
