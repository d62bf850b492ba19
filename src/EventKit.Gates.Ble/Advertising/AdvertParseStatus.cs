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
