using System.Diagnostics.Metrics;

namespace EventKit.Gates.Ble.Internal;

/// <summary>The <c>EventKit.Gates.Ble</c> meter. Counters are added once per report, not per advert, to keep the hot path lean.</summary>
internal sealed class BleMetrics
{
    public BleMetrics(IMeterFactory meterFactory)
    {
        var meter = meterFactory.Create(EventKitDiagnostics.Ble);
        AdvertsParsed = meter.CreateCounter<long>("eventkit.ble.adverts.parsed", "{advert}", "Adverts read from gateway reports.");
        AdvertsRejected = meter.CreateCounter<long>("eventkit.ble.adverts.rejected", "{advert}", "Sightings not used: malformed, stale, replayed or from an unknown gateway.");
        Resolved = meter.CreateCounter<long>("eventkit.ble.adverts.resolved", "{advert}", "Adverts that identified a participant.");
        Enters = meter.CreateCounter<long>("eventkit.ble.presence.enters", "{enter}", "Participants entering a gate's range.");
        Exits = meter.CreateCounter<long>("eventkit.ble.presence.exits", "{exit}", "Participants leaving a gate's range.");
        CloneRejections = meter.CreateCounter<long>("eventkit.ble.clone_rejections", "{enter}", "Entries refused as a suspected cloned credential.");
        ReplayedReports = meter.CreateCounter<long>("eventkit.ble.reports.replayed", "{report}", "Reports ignored because their nonce was seen before.");
        SharedStateFallbacks = meter.CreateCounter<long>("eventkit.ble.shared_state.fallbacks", "{check}", "Nonce and clone checks decided by this node alone because Redis could not answer.");
    }

    public Counter<long> AdvertsParsed { get; }

    public Counter<long> AdvertsRejected { get; }

    public Counter<long> Resolved { get; }

    public Counter<long> Enters { get; }

    public Counter<long> Exits { get; }

    public Counter<long> CloneRejections { get; }

    public Counter<long> ReplayedReports { get; }

    public Counter<long> SharedStateFallbacks { get; }
}
