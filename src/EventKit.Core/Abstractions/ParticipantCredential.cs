namespace EventKit;

/// <summary>A participant with the hash of the credential they hold.</summary>
/// <param name="Participant">The participant.</param>
/// <param name="Credential">The hash of their token (<see cref="CredentialHasher"/>).</param>
public readonly record struct ParticipantCredential(Participant Participant, CredentialHash Credential);
