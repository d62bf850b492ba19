namespace EventKit;

/// <summary>A request to admit someone at a gate: either a token to resolve, or a participant already resolved (BLE).</summary>
/// <remarks>Create one with <see cref="ForToken"/> or <see cref="ForParticipant"/>. The request holds the raw token only
/// until the pipeline hashes it; <see cref="ToString"/> never prints it.</remarks>
public sealed class CheckInRequest
{
    private CheckInRequest(long gateId, CheckInMethod method, string? credential, long? participantId, CredentialKind credentialKind, DateTimeOffset? occurredAt, Guid? requestId)
    {
        GateId = gateId;
        Method = method;
        Credential = credential;
        ParticipantId = participantId;
        CredentialKind = credentialKind;
        OccurredAt = occurredAt;
        RequestId = requestId;
    }

    /// <summary>A scanned token (QR code, NFC payload) or a token typed in by staff.</summary>
    /// <param name="gateId">The gate.</param>
    /// <param name="credential">The token as scanned.</param>
    /// <param name="method"><see cref="CheckInMethod.Qr"/>, <see cref="CheckInMethod.Nfc"/> or <see cref="CheckInMethod.Manual"/>.</param>
    /// <param name="occurredAt">When the scan happened; <see langword="null"/> for now.</param>
    /// <param name="requestId">An idempotency key: a retry with the same key returns the first answer.</param>
    public static CheckInRequest ForToken(long gateId, string credential, CheckInMethod method = CheckInMethod.Qr, DateTimeOffset? occurredAt = null, Guid? requestId = null)
    {
        ArgumentNullException.ThrowIfNull(credential);
        return new(gateId, method, credential, null, CredentialKind.Token, occurredAt, requestId);
    }

    /// <summary>A participant identified by other means (a resolved BLE advert, staff verification).</summary>
    /// <param name="gateId">The gate.</param>
    /// <param name="participantId">The participant.</param>
    /// <param name="method">How the participant was seen, usually <see cref="CheckInMethod.Ble"/>.</param>
    /// <param name="credentialKind">What identified the participant.</param>
    /// <param name="occurredAt">When it happened; <see langword="null"/> for now.</param>
    /// <param name="requestId">An idempotency key.</param>
    public static CheckInRequest ForParticipant(long gateId, long participantId, CheckInMethod method, CredentialKind credentialKind, DateTimeOffset? occurredAt = null, Guid? requestId = null)
        => new(gateId, method, null, participantId, credentialKind, occurredAt, requestId);

    /// <summary>The gate.</summary>
    public long GateId { get; }

    /// <summary>How the admission was captured.</summary>
    public CheckInMethod Method { get; }

    /// <summary>The raw token, for token requests. A secret: never log it.</summary>
    public string? Credential { get; }

    /// <summary>The participant, for requests that arrive already resolved.</summary>
    public long? ParticipantId { get; }

    /// <summary>What identified the participant.</summary>
    public CredentialKind CredentialKind { get; }

    /// <summary>When it happened, or <see langword="null"/> for the server's time.</summary>
    public DateTimeOffset? OccurredAt { get; }

    /// <summary>The idempotency key, if any.</summary>
    public Guid? RequestId { get; }

    /// <summary>A description without the credential.</summary>
    public override string ToString()
        => $"CheckInRequest {{ GateId = {GateId}, Method = {Method}, ParticipantId = {ParticipantId}, CredentialKind = {CredentialKind}, OccurredAt = {OccurredAt:O}, RequestId = {RequestId} }}";
}
