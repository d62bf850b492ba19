using System.Text.Json.Serialization;

namespace EventKit;

/// <summary>The lifecycle state of a participant. Only <see cref="Active"/> participants are admitted.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<ParticipantStatus>))]
public enum ParticipantStatus
{
    /// <summary>The participant may check in.</summary>
    [JsonStringEnumMemberName("active")]
    Active = 0,

    /// <summary>Temporarily barred (for example, unpaid); the credential resolves but is refused.</summary>
    [JsonStringEnumMemberName("suspended")]
    Suspended = 1,

    /// <summary>Permanently barred; the credential resolves but is refused.</summary>
    [JsonStringEnumMemberName("revoked")]
    Revoked = 2,
}
