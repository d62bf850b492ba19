namespace EventKit.Gates.Ble;

/// <summary>Which frame an advert carries, if any.</summary>
public enum BleFrameKind
{
    /// <summary>No recognised frame.</summary>
    None = 0,

    /// <summary>Apple iBeacon (manufacturer data, company 0x004C, <c>02 15</c>).</summary>
    IBeacon = 1,

    /// <summary>AltBeacon (manufacturer data, any company, <c>BE AC</c>).</summary>
    AltBeacon = 2,

    /// <summary>Eddystone-UID (service data 0xFEAA, frame 0x00).</summary>
    EddystoneUid = 3,

    /// <summary>Eddystone-URL (service data 0xFEAA, frame 0x10).</summary>
    EddystoneUrl = 4,

    /// <summary>Eddystone-TLM, unencrypted (service data 0xFEAA, frame 0x20, version 0).</summary>
    EddystoneTlm = 5,

    /// <summary>Eddystone-EID (service data 0xFEAA, frame 0x30): a rotating ephemeral id.</summary>
    EddystoneEid = 6,
}
