namespace EventKit;

/// <summary>A participant to register, with the token they will present.</summary>
/// <param name="Name">Display name.</param>
/// <param name="Credential">The token (QR/NFC payload). Stored only as its hash (<see cref="CredentialHasher"/>).</param>
/// <param name="Email">E-mail address, if any.</param>
/// <param name="ExternalRef">The integrator's own id, if any.</param>
/// <param name="Status">Initial status.</param>
public sealed record NewParticipant(string Name, string Credential, string? Email = null, string? ExternalRef = null, ParticipantStatus Status = ParticipantStatus.Active)
{
    /// <summary>A description without the credential.</summary>
    public override string ToString() => $"NewParticipant {{ Name = {Name}, ExternalRef = {ExternalRef}, Status = {Status} }}";
}
