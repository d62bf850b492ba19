namespace EventKit.Gates.Ble;

/// <summary>The body formats a gateway report can have.</summary>
public enum BleReportFormat
{
    /// <summary>The Ruuvi Gateway HTTP JSON format (<c>application/json</c>).</summary>
    RuuviJson = 0,

    /// <summary>One JSON sighting a line (<c>application/x-ndjson</c>).</summary>
    Ndjson = 1,

    /// <summary>A btsnoop capture (<c>btmon -w</c>) uploaded live; stale sightings are rejected like any other (recordings: <see cref="BleCaptureReplayer"/>).</summary>
    Btsnoop = 2,
}
