namespace EventKit.Gates.Ble;

/// <summary>Why <see cref="BleAdvertParser"/> stopped reading an advert's AD structures.</summary>
public enum AdvertParseStatus
{
    /// <summary>Every byte was read as whole AD structures.</summary>
    Complete = 0,

    /// <summary>A zero length byte ended the payload (the rest, usually zero padding, is ignored).</summary>
    Terminated = 1,

    /// <summary>The input was empty.</summary>
    Empty = 2,

    /// <summary>A structure's length ran past the end of the input; the structures before it were read.</summary>
    Truncated = 3,

    /// <summary>The input is longer than the configured maximum; only the first maximum bytes were read.</summary>
    TooLong = 4,
}

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

/// <summary>Why a frame header was seen but the frame was not decoded.</summary>
public enum BleFrameError
{
    /// <summary>No problem (or no frame header at all).</summary>
    None = 0,

    /// <summary>The frame's header matched but its length does not fit the layout.</summary>
    WrongLength = 1,

    /// <summary>Eddystone service data with a frame type this parser does not know.</summary>
    UnknownEddystoneFrame = 2,
}
