using System.Diagnostics;

namespace EventKit.Gates.Ble.Internal;

/// <summary>
/// EventKit.Gates.Ble's <see cref="ActivitySource"/> (<see cref="EventKitDiagnostics.Ble"/>): a span per gateway report
/// (<c>eventkit.ble.report</c>) with the gateway id and the report's counts; the check-ins its entries cause
/// (<c>eventkit.checkin</c>) are its children. Free when nobody listens.
/// </summary>
internal static class BleTracing
{
    public const string Report = "eventkit.ble.report";
    public const string GatewayTag = "eventkit.ble.gateway.id";
    public const string SightingsTag = "eventkit.ble.sightings";
    public const string ResolvedTag = "eventkit.ble.resolved";
    public const string AdmittedTag = "eventkit.ble.admitted";
    public const string RejectedTag = "eventkit.ble.rejected";

    public static readonly ActivitySource Source = new(EventKitDiagnostics.Ble);

    public static Activity? StartReport(string? gatewayId, int sightings)
    {
        var activity = Source.StartActivity(Report);
        if (activity is { IsAllDataRequested: true })
        {
            activity.SetTag(GatewayTag, gatewayId);
            activity.SetTag(SightingsTag, sightings);
        }

        return activity;
    }

    public static void Finish(Activity? activity, BleIngestSummary summary)
    {
        if (activity is { IsAllDataRequested: true })
        {
            activity.SetTag(ResolvedTag, summary.Resolved);
            activity.SetTag(AdmittedTag, summary.Admitted);
            activity.SetTag(RejectedTag, summary.Rejected);
        }
    }
}
