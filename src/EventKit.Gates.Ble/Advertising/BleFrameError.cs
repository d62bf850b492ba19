namespace EventKit.Gates.Ble;

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
