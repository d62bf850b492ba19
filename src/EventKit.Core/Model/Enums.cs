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

/// <summary>How an admission was captured.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<CheckInMethod>))]
public enum CheckInMethod
{
    /// <summary>A QR code scanned by staff or a turnstile.</summary>
    [JsonStringEnumMemberName("qr")]
    Qr = 0,

    /// <summary>An NFC tag or card.</summary>
    [JsonStringEnumMemberName("nfc")]
    Nfc = 1,

    /// <summary>A Bluetooth Low Energy sighting resolved by a gateway.</summary>
    [JsonStringEnumMemberName("ble")]
    Ble = 2,

    /// <summary>Admitted by hand by staff.</summary>
    [JsonStringEnumMemberName("manual")]
    Manual = 3,
}

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
