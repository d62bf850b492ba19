namespace EventKit;

/// <summary>How EventKit keeps credentials at rest: the pepper of credential hashes and the strength asked of tokens.</summary>
/// <remarks>Bound from <c>EventKit:Security</c>; the pepper also from <c>EVENTKIT_CREDENTIAL_PEPPER</c>.</remarks>
public sealed class EventKitSecurityOptions
{
    /// <summary>The fewest bytes (UTF-8) a pepper may have.</summary>
    public const int MinimumPepperBytes = 32;

    /// <summary>
    /// The server-side secret that credential hashes (participant tokens, scanner and gateway keys) are keyed with:
    /// each is stored as HMAC-SHA256(pepper, token), so a copy of the database, of Redis or of a backup alone cannot be
    /// used to test guessed tokens. Keep it out of the database (a secret store, an environment variable).
    /// </summary>
    /// <remarks>Default <see langword="null"/>: hashes are plain SHA-256, which the HTTP API accepts only in the Development
    /// environment (with a warning at start). At least <see cref="MinimumPepperBytes"/> bytes, for example
    /// <c>openssl rand -base64 48</c>. Changing it without <see cref="PreviousCredentialPepper"/> makes every stored credential unknown.</remarks>
    public string? CredentialPepper { get; set; }

    /// <summary>The pepper in use before <see cref="CredentialPepper"/>, while hashes made with it are re-hashed on first use.</summary>
    /// <remarks>Default <see langword="null"/>. At least <see cref="MinimumPepperBytes"/> bytes, and different from the current pepper.</remarks>
    public string? PreviousCredentialPepper { get; set; }

    /// <summary>The shortest participant token the HTTP API accepts (import and credential changes).</summary>
    /// <remarks>Default 16 characters. 1 to 256. Shorter tokens fall to guessing even when peppered.</remarks>
    public int MinimumTokenLength { get; set; } = 16;

    /// <summary>Accepts participant tokens shorter than <see cref="MinimumTokenLength"/> (for example pre-printed 8-digit tickets).</summary>
    /// <remarks>Default <see langword="false"/>.</remarks>
    public bool AllowWeakTokens { get; set; }
}
