namespace EventKit;

/// <summary>A participant's Eddystone-EID identity: the secret the phone app uses to broadcast rotating ids.</summary>
/// <remarks>The identity key is a secret: never log it, never cache it outside the process that resolves EIDs.</remarks>
public sealed record BleIdentity
{
    /// <summary>The identity key length in bytes (AES-128).</summary>
    public const int KeyLength = 16;

    /// <summary>The rotation exponent EventKit provisions unless told otherwise (a new EID every 1024 s).</summary>
    public const byte DefaultRotationExponent = 10;

    private readonly byte[] _identityKey;

    /// <summary>Creates an identity.</summary>
    /// <param name="participantId">The participant; positive.</param>
    /// <param name="identityKey">The 16-byte AES-128 identity key (copied).</param>
    /// <param name="rotationExponent">K, 0 to 15: the EID changes every 2^K seconds.</param>
    /// <param name="clockOffset">Subtracted from unix seconds to give the EID counter.</param>
    /// <exception cref="ArgumentException">An argument breaks the rules above.</exception>
    public BleIdentity(long participantId, ReadOnlySpan<byte> identityKey, byte rotationExponent = DefaultRotationExponent, uint clockOffset = 0)
    {
        Guard.Positive(participantId);
        if (identityKey.Length != KeyLength)
        {
            throw new ArgumentException($"An Eddystone-EID identity key is {KeyLength} bytes (was {identityKey.Length}).", nameof(identityKey));
        }

        if (rotationExponent > 15)
        {
            throw new ArgumentOutOfRangeException(nameof(rotationExponent), rotationExponent, "The rotation exponent K must be between 0 and 15.");
        }

        ParticipantId = participantId;
        _identityKey = identityKey.ToArray();
        RotationExponent = rotationExponent;
        ClockOffset = clockOffset;
    }

    /// <summary>The participant.</summary>
    public long ParticipantId { get; }

    /// <summary>The 16-byte identity key.</summary>
    public ReadOnlyMemory<byte> IdentityKey => _identityKey;

    /// <summary>K: the EID changes every 2^K seconds.</summary>
    public byte RotationExponent { get; }

    /// <summary>Subtracted from unix seconds to give the EID counter.</summary>
    public uint ClockOffset { get; }

    /// <inheritdoc/>
    public bool Equals(BleIdentity? other)
        => other is not null
           && ParticipantId == other.ParticipantId
           && RotationExponent == other.RotationExponent
           && ClockOffset == other.ClockOffset
           && _identityKey.AsSpan().SequenceEqual(other._identityKey);

    /// <inheritdoc/>
    public override int GetHashCode() => HashCode.Combine(ParticipantId, RotationExponent, ClockOffset);

    /// <summary>A description without the key.</summary>
    public override string ToString() => $"BleIdentity {{ ParticipantId = {ParticipantId}, RotationExponent = {RotationExponent}, ClockOffset = {ClockOffset} }}";
}
