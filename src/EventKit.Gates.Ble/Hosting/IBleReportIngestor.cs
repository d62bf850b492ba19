namespace EventKit.Gates.Ble;

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
