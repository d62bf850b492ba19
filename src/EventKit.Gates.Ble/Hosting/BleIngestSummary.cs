namespace EventKit.Gates.Ble;

/// <summary>The outcome of one report: the numbers of the HTTP 202 answer.</summary>
/// <param name="Sightings">Sightings in the report, malformed ones included.</param>
/// <param name="Resolved">Sightings that identified a participant.</param>
/// <param name="Admitted">Check-ins admitted because of this report.</param>
/// <param name="Rejected">Sightings not used: malformed, stale, from a replayed report or an unknown gateway.</param>
/// <param name="UnknownGateway">Whether the gateway had no gate (everything is rejected).</param>
public readonly record struct BleIngestSummary(int Sightings, int Resolved, int Admitted, int Rejected, bool UnknownGateway = false);
