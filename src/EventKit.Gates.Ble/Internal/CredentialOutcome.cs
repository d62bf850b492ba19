namespace EventKit.Gates.Ble.Internal;

/// <summary>The outcome of reading an advert for a credential.</summary>
internal enum CredentialOutcome
{
    Resolved = 0,
    NotACredential = 1,
    Malformed = 2,
}
