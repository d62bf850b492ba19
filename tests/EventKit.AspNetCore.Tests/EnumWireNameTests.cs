using System.Text.Json;
using EventKit.Internal;

namespace EventKit.AspNetCore.Tests;

/// <summary>EventKit's enums serialise as the API's lowercase wire names in application code too, not as numbers; the API's
/// texts come from the same attributes (one map).</summary>
public sealed class EnumWireNameTests
{
    [Fact]
    public void Every_enum_value_serialises_as_its_api_wire_name()
    {
        AssertWireNames<ParticipantStatus>("active", "suspended", "revoked");
        AssertWireNames<CheckInMethod>("qr", "nfc", "ble", "manual");
        AssertWireNames<GateKind>("entrance", "exit", "session");
        AssertWireNames<AttendanceDirection>("in", "out");
        AssertWireNames<CredentialKind>("token", "ble_eid", "ble_static", "staff");
    }

    [Fact]
    public void Check_in_statuses_serialise_as_the_api_status_and_round_trip()
    {
        Assert.Equal("\"unknown_credential\"", JsonSerializer.Serialize(CheckInStatus.UnknownCredential));
        Assert.Equal("\"request_id_reused\"", JsonSerializer.Serialize(CheckInStatus.RequestIdReused));
        Assert.Equal("\"event_closed\"", JsonSerializer.Serialize(CheckInStatus.EventClosed));
        Assert.Equal(CheckInErrorCodes.GateClosed, JsonSerializer.Deserialize<string>(JsonSerializer.Serialize(CheckInStatus.GateClosed)));
        Assert.Equal(CheckInErrorCodes.EventClosed, WireNames<CheckInStatus>.Of(CheckInStatus.EventClosed));
        foreach (var value in Enum.GetValues<CheckInStatus>())
        {
            Assert.Equal(value, JsonSerializer.Deserialize<CheckInStatus>(JsonSerializer.Serialize(value)));
            Assert.Equal($"\"{WireNames<CheckInStatus>.Of(value)}\"", JsonSerializer.Serialize(value));
        }
    }

    [Fact]
    public void Wire_names_parse_back_exactly_and_refuse_other_spellings()
    {
        Assert.True(WireNames<GateKind>.TryParse("session", out var kind));
        Assert.Equal(GateKind.Session, kind);
        Assert.False(WireNames<GateKind>.TryParse("Session", out _));
        Assert.False(WireNames<GateKind>.TryParse("2", out _));
        Assert.False(WireNames<ParticipantStatus>.TryParse(null, out _));
        Assert.Equal("entrance, exit, session", WireNames<GateKind>.List());
    }

    private static void AssertWireNames<T>(params string[] expected)
        where T : struct, Enum
    {
        var values = Enum.GetValues<T>();
        Assert.Equal(expected.Length, values.Length);
        for (var i = 0; i < values.Length; i++)
        {
            Assert.Equal(expected[i], WireNames<T>.Of(values[i]));
            Assert.Equal($"\"{expected[i]}\"", JsonSerializer.Serialize(values[i]));
            Assert.True(WireNames<T>.TryParse(expected[i], out var parsed));
            Assert.Equal(values[i], parsed);
        }
    }
}
