using System.Diagnostics.Metrics;
using Microsoft.Extensions.Options;

namespace EventKit.Monitoring.Internal;

/// <summary>
/// Listens to EventKit's meters, ASP.NET Core's request duration, Npgsql, the runtime and resource monitoring with one
/// <see cref="MeterListener"/>, and keeps every series' last 15 minutes in 1 s buckets. <see cref="Tick"/> (once a
/// second, from <see cref="MonitoringService"/>) reads the observable instruments and closes the second.
/// </summary>
internal sealed partial class MetricsCollector : IMetricsMonitor, IDisposable
{
    public const string AspNetCoreHostingMeter = "Microsoft.AspNetCore.Hosting";
    public const string NpgsqlMeter = "Npgsql";
    public const string RuntimeMeter = "System.Runtime";
    public const string ResourceMonitoringMeter = "Microsoft.Extensions.Diagnostics.ResourceMonitoring";

    // The tags that split an instrument into series; every other instrument is one series (its tags summed).
    private static readonly Dictionary<string, string[]> KeyTags = new(StringComparer.Ordinal)
    {
        ["http.server.request.duration"] = ["http.route", "http.response.status_code"],
        ["eventkit.checkin.outcomes"] = ["eventkit.checkin.status"],
        ["eventkit.checkin.duration"] = ["eventkit.checkin.status"],
        ["eventkit.checkin.gate_admissions"] = ["eventkit.gate.id"],
        ["cache.requests"] = ["cache.tier", "cache.request.type"],
        ["db.client.operation.duration"] = ["db.query.name"],
        ["eventkit.storage.slow_queries"] = ["db.query.name"],
        ["eventkit.health.status"] = ["check"],
        ["eventkit.cache.l2.circuit.state"] = ["cache.name"],
    };

    private readonly MonitoringOptions _options;
    private readonly IMeterFactory _meterFactory;
    private readonly TimeProvider _time;
    private readonly HashSet<string> _meters;
    private readonly Lock _seriesLock = new();
    private MetricSeries[] _all = [];
    private MeterListener? _listener;
    private long _startSecond = -1;
    private long _lastClosed = -1;

    public MetricsCollector(IOptions<MonitoringOptions> options, IMeterFactory meterFactory, TimeProvider time)
    {
        _options = options.Value;
        _meterFactory = meterFactory;
        _time = time;
        _meters = new HashSet<string>(EventKitDiagnostics.All, StringComparer.Ordinal);
        if (_options.ListenToAspNetCore)
        {
            _meters.Add(AspNetCoreHostingMeter);
        }

        if (_options.ListenToNpgsql)
        {
            _meters.Add(NpgsqlMeter);
        }

        if (_options.ListenToRuntime)
        {
            _meters.Add(RuntimeMeter);
        }

        if (_options.UseResourceMonitoring)
        {
            _meters.Add(ResourceMonitoringMeter);
        }

        foreach (var name in _options.AdditionalMeters)
        {
            _meters.Add(name);
        }
    }

    /// <summary>The last second closed, as Unix seconds (-1 before the first tick).</summary>
    public long LastClosedSecond => Volatile.Read(ref _lastClosed);

    /// <summary>Starts listening (idempotent).</summary>
    public void Start()
    {
        if (_listener is not null)
        {
            return;
        }

        var listener = new MeterListener { InstrumentPublished = Publish };
        listener.SetMeasurementEventCallback<double>(static (_, value, tags, state) => ((InstrumentSeries)state!).Record(value, tags));
        listener.SetMeasurementEventCallback<float>(static (_, value, tags, state) => ((InstrumentSeries)state!).Record(value, tags));
        listener.SetMeasurementEventCallback<long>(static (_, value, tags, state) => ((InstrumentSeries)state!).Record(value, tags));
        listener.SetMeasurementEventCallback<int>(static (_, value, tags, state) => ((InstrumentSeries)state!).Record(value, tags));
        listener.SetMeasurementEventCallback<short>(static (_, value, tags, state) => ((InstrumentSeries)state!).Record(value, tags));
        listener.SetMeasurementEventCallback<byte>(static (_, value, tags, state) => ((InstrumentSeries)state!).Record(value, tags));
        _listener = listener;
        _startSecond = _time.GetUtcNow().ToUnixTimeSeconds();
        _lastClosed = _startSecond - 1;
        listener.Start();
    }

    private void Publish(Instrument instrument, MeterListener listener)
    {
        var meter = instrument.Meter;
        if (!_meters.Contains(meter.Name))
        {
            return;
        }

        // Meters from another host's IMeterFactory in the same process (tests, side-by-side hosts) are not ours.
        if (meter.Scope is IMeterFactory factory && !ReferenceEquals(factory, _meterFactory))
        {
            return;
        }

        if (meter.Name == AspNetCoreHostingMeter && instrument.Name != "http.server.request.duration")
        {
            return;
        }

        var keyTags = KeyTags.TryGetValue(instrument.Name, out var tags) ? tags : [];
        listener.EnableMeasurementEvents(instrument, new InstrumentSeries(instrument, keyTags, _options.MaxSeriesPerInstrument, Add));
    }

    private void Add(MetricSeries series)
    {
        lock (_seriesLock)
        {
            _all = [.. _all, series];
        }
    }

    /// <summary>Reads the observable instruments and closes the current second. Call once a second (tests call it with a fake clock).</summary>
    public void Tick()
    {
        _listener?.RecordObservableInstruments();
        var now = _time.GetUtcNow().ToUnixTimeSeconds();
        var second = Math.Max(now, _lastClosed + 1);
        foreach (var series in Volatile.Read(ref _all))
        {
            series.Close(second);
        }

        Volatile.Write(ref _lastClosed, second);
    }

    public void Dispose() => _listener?.Dispose();
}
