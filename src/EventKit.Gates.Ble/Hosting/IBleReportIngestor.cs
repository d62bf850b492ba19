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

/// <summary>The outcome of one report: the numbers of the HTTP 202 answer.</summary>
/// <param name="Sightings">Sightings in the report, malformed ones included.</param>
/// <param name="Resolved">Sightings that identified a participant.</param>
/// <param name="Admitted">Check-ins admitted because of this report.</param>
/// <param name="Rejected">Sightings not used: malformed, stale, from a replayed report or an unknown gateway.</param>
/// <param name="UnknownGateway">Whether the gateway had no gate (everything is rejected).</param>
public readonly record struct BleIngestSummary(int Sightings, int Resolved, int Admitted, int Rejected, bool UnknownGateway = false);

/// <summary>Feeds gateway reports through credential resolution and the presence engine into check-ins.</summary>
/// <remarks>Thread-safe; reports from many gateways may be ingested at once.</remarks>
public interface IBleReportIngestor
{
    /// <summary>Ingests a report held in memory.</summary>
    /// <exception cref="BleReportFormatException">The report's envelope is malformed (HTTP 400).</exception>
    ValueTask<BleIngestSummary> IngestAsync(string gatewayId, BleReportFormat format, ReadOnlyMemory<byte> body, CancellationToken cancellationToken = default);

    /// <summary>Ingests a report read from a stream (an HTTP request body); NDJSON is processed as it arrives.</summary>
    /// <exception cref="BleReportFormatException">The report's envelope is malformed or larger than
    /// <see cref="BleGateOptions.MaxReportBytes"/> (HTTP 400).</exception>
    ValueTask<BleIngestSummary> IngestAsync(string gatewayId, BleReportFormat format, Stream body, CancellationToken cancellationToken = default);

    /// <summary>Ingests sightings already read (HCI events, simulations). Each sighting names its gateway.</summary>
    ValueTask<BleIngestSummary> IngestAsync(BleSightingBatch batch, CancellationToken cancellationToken = default);
}
