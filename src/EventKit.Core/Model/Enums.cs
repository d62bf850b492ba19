namespace EventKit;

/// <summary>The lifecycle state of a participant. Only <see cref="Active"/> participants are admitted.</summary>
public enum ParticipantStatus
{
    /// <summary>The participant may check in.</summary>
    Active = 0,

    /// <summary>Temporarily barred (for example, unpaid); the credential resolves but is refused.</summary>
    Suspended = 1,

    /// <summary>Permanently barred; the credential resolves but is refused.</summary>
    Revoked = 2,
}

/// <summary>What a gate is for.</summary>
public enum GateKind
{
    /// <summary>An entrance to the venue.</summary>
    Entrance = 0,

    /// <summary>An exit from the venue.</summary>
    Exit = 1,

    /// <summary>The door of a session, room or area inside the venue.</summary>
    Session = 2,
}

/// <summary>How an admission was captured.</summary>
public enum CheckInMethod
{
    /// <summary>A QR code scanned by staff or a turnstile.</summary>
    Qr = 0,

    /// <summary>An NFC tag or card.</summary>
    Nfc = 1,

    /// <summary>A Bluetooth Low Energy sighting resolved by a gateway.</summary>
    Ble = 2,

    /// <summary>Admitted by hand by staff.</summary>
    Manual = 3,
}

/// <summary>Whether an attendance record is an entry or an exit.</summary>
public enum AttendanceDirection
{
    /// <summary>The participant entered.</summary>
    In = 0,

    /// <summary>The participant left.</summary>
    Out = 1,
}

/// <summary>The kind of credential that identified the participant of an attendance record.</summary>
/// <remarks>Recorded with every admission so that audits can tell strong credentials from clonable ones.</remarks>
public enum CredentialKind
{
    /// <summary>A secret token (QR code or NFC payload) looked up by its SHA-256 hash.</summary>
    Token = 0,

    /// <summary>A rotating Eddystone-EID advert resolved to the participant's identity key.</summary>
    BleRotatingEid = 1,

    /// <summary>A static iBeacon or Eddystone-UID badge. Anyone in radio range can clone it.</summary>
    BleStaticBeacon = 2,

    /// <summary>Staff identified the participant by hand.</summary>
    StaffVerified = 3,
}
