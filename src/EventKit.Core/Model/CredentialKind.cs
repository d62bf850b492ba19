using System.Text.Json.Serialization;

namespace EventKit;

/// <summary>The kind of credential that identified the participant of an attendance record.</summary>
/// <remarks>Recorded with every admission so that audits can tell strong credentials from clonable ones.</remarks>
[JsonConverter(typeof(JsonStringEnumConverter<CredentialKind>))]
public enum CredentialKind
{
    /// <summary>A secret token (QR code or NFC payload) looked up by its SHA-256 hash.</summary>
    [JsonStringEnumMemberName("token")]
    Token = 0,

    /// <summary>A rotating Eddystone-EID advert resolved to the participant's identity key.</summary>
    [JsonStringEnumMemberName("ble_eid")]
    BleRotatingEid = 1,

    /// <summary>A static iBeacon or Eddystone-UID badge. Anyone in radio range can clone it.</summary>
    [JsonStringEnumMemberName("ble_static")]
    BleStaticBeacon = 2,

    /// <summary>Staff identified the participant by hand.</summary>
    [JsonStringEnumMemberName("staff")]
    StaffVerified = 3,
}
