using System.Text.Json.Serialization;

namespace EventKit;

/// <summary>Whether an attendance record is an entry or an exit.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<AttendanceDirection>))]
public enum AttendanceDirection
{
    /// <summary>The participant entered.</summary>
    [JsonStringEnumMemberName("in")]
    In = 0,

    /// <summary>The participant left.</summary>
    [JsonStringEnumMemberName("out")]
    Out = 1,
}
