using System.Text.Json.Serialization;

namespace EventKit;

/// <summary>What a gate is for.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<GateKind>))]
public enum GateKind
{
    /// <summary>An entrance to the venue.</summary>
    [JsonStringEnumMemberName("entrance")]
    Entrance = 0,

    /// <summary>An exit from the venue.</summary>
    [JsonStringEnumMemberName("exit")]
    Exit = 1,

    /// <summary>The door of a session, room or area inside the venue.</summary>
    [JsonStringEnumMemberName("session")]
    Session = 2,
}
