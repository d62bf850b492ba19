namespace EventKit;

/// <summary>Stable, machine-readable codes for failed check-ins (the <c>code</c> of HTTP problem details).</summary>
public static class CheckInErrorCodes
{
    /// <summary>No participant holds the credential.</summary>
    public const string UnknownCredential = "unknown_credential";

    /// <summary>The participant is suspended or revoked.</summary>
    public const string InactiveParticipant = "inactive_participant";

    /// <summary>No such gate.</summary>
    public const string UnknownGate = "unknown_gate";

    /// <summary>The gate is closed.</summary>
    public const string GateClosed = "gate_closed";

    /// <summary>The event is closed at the check-in's time (<see cref="CheckInStatus.EventClosed"/>).</summary>
    public const string EventClosed = "event_closed";

    /// <summary>The prefix of the code for an invalid field: <c>invalid_</c> + the field's camelCase name (<c>invalid_occurredAt</c>).</summary>
    public const string InvalidFieldPrefix = "invalid_";

    /// <summary>Storage is unavailable.</summary>
    public const string Unavailable = "storage_unavailable";

    /// <summary>The request id belongs to another request (<see cref="CheckInStatus.RequestIdReused"/>).</summary>
    public const string RequestIdReused = "request_id_reused";
}
