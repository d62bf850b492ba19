namespace EventKit.Gates.Ble;

/// <summary>A gateway report whose envelope cannot be read (not JSON, no <c>data</c> object, not a btsnoop file).
/// HTTP hosts map it to 400; malformed single lines or adverts never raise it, they are counted as rejected.</summary>
public sealed class BleReportFormatException : FormatException
{
    /// <summary>Creates the exception.</summary>
    public BleReportFormatException()
    {
    }

    /// <summary>Creates the exception with a message that says what is wrong (never the report's content).</summary>
    public BleReportFormatException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and the reader's error.</summary>
    public BleReportFormatException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
