using System.Text.Json;
using EventKit.AspNetCore.Internal;

namespace EventKit.AspNetCore.Tests;

/// <summary>EventKit's enums serialise as the API's lowercase wire names in application code too, not as numbers.</summary>
public sealed class EnumWireNameTests
{
    [Fact]
    public void Every_enum_value_serialises_as_its_api_wire_name()
    {
        foreach (var value in Enum.GetValues<ParticipantStatus>())
        {
            Assert.Equal($"\"{Names.Of(value)}\"", JsonSerializer.Serialize(value));
        }

        foreach (var value in Enum.GetValues<CheckInMethod>())
        {
            Assert.Equal($"\"{Names.Of(value)}\"", JsonSerializer.Serialize(value));
        }

        foreach (var value in Enum.GetValues<GateKind>())
        {
            Assert.Equal($"\"{Names.Of(value)}\"", JsonSerializer.Serialize(value));
        }

        foreach (var value in Enum.GetValues<AttendanceDirection>())
        {
            Assert.Equal($"\"{Names.Of(value)}\"", JsonSerializer.Serialize(value));
        }

        foreach (var value in Enum.GetValues<CredentialKind>())
        {
            Assert.Equal($"\"{Names.Of(value)}\"", JsonSerializer.Serialize(value));
        }
    }

    [Fact]
    public void Check_in_statuses_serialise_as_the_api_status_and_round_trip()
    {
        Assert.Equal("\"unknown_credential\"", JsonSerializer.Serialize(CheckInStatus.UnknownCredential));
        Assert.Equal("\"request_id_reused\"", JsonSerializer.Serialize(CheckInStatus.RequestIdReused));
        Assert.Equal(CheckInErrorCodes.GateClosed, JsonSerializer.Deserialize<string>(JsonSerializer.Serialize(CheckInStatus.GateClosed)));
        foreach (var value in Enum.GetValues<CheckInStatus>())
        {
            Assert.Equal(value, JsonSerializer.Deserialize<CheckInStatus>(JsonSerializer.Serialize(value)));
        }
    }
}
