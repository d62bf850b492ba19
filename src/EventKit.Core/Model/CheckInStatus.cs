using System.Text.Json.Serialization;

namespace EventKit;

/// <summary>Every outcome of a check-in; see <see cref="CheckInResult"/>.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<CheckInStatus>))]
public enum CheckInStatus
{
    /// <summary>Admitted: a new attendance record is committed.</summary>
    [JsonStringEnumMemberName("admitted")]
    Admitted = 0,

    /// <summary>The same participant was admitted at the same gate inside the re-entry window; nothing new was written.</summary>
    [JsonStringEnumMemberName("duplicate")]
    Duplicate = 1,

    /// <summary>No participant holds this credential.</summary>
    [JsonStringEnumMemberName("unknown_credential")]
    UnknownCredential = 2,

    /// <summary>The participant exists but is suspended or revoked.</summary>
    [JsonStringEnumMemberName("inactive_participant")]
    InactiveParticipant = 3,

    /// <summary>No such gate.</summary>
    [JsonStringEnumMemberName("unknown_gate")]
    UnknownGate = 4,

    /// <summary>The gate is closed.</summary>
    [JsonStringEnumMemberName("gate_closed")]
    GateClosed = 5,

    /// <summary>The request itself is malformed (a field is missing, too long or out of range).</summary>
    [JsonStringEnumMemberName("invalid")]
    Invalid = 6,

    /// <summary>Storage could not be reached after retries; nothing was recorded. Retry later.</summary>
    [JsonStringEnumMemberName("unavailable")]
    Unavailable = 7,

    /// <summary>The request id was used before for another request (another gate or credential): refused, nothing written.</summary>
    [JsonStringEnumMemberName("request_id_reused")]
    RequestIdReused = 8,

    /// <summary>The event is closed at this time for this kind of gate (outside its opening hours, or before its start or after its end).</summary>
    [JsonStringEnumMemberName("event_closed")]
    EventClosed = 9,
}
