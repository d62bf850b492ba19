using System.Diagnostics.Metrics;
using EventKit;

/// <summary>
/// Counts <c>eventkit.checkin.degraded_decisions</c> (admissions PostgreSQL decided under the passage lock because the
/// claims could not vouch for other nodes) for <c>GET /sample/stats</c>: with the gate-owned fast path, what the owner
/// did not decide from memory.
/// </summary>
internal sealed class DegradedDecisionCounter : IDisposable
{
    private readonly MeterListener _listener = new();
    private long _count;

    public DegradedDecisionCounter()
    {
        _listener.InstrumentPublished = static (instrument, listener) =>
        {
            if (instrument.Meter.Name == EventKitDiagnostics.CheckIn && instrument.Name == "eventkit.checkin.degraded_decisions")
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<long>((_, value, _, _) => Interlocked.Add(ref _count, value));
        _listener.Start();
    }

    /// <summary>Degraded decisions since this node started.</summary>
    public long Count => Interlocked.Read(ref _count);

    public void Dispose() => _listener.Dispose();
}
