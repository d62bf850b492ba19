using System.Diagnostics.Metrics;
using BenchmarkDotNet.Attributes;
using EventKit.Monitoring;
using EventKit.Monitoring.Internal;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace EventKit.Benchmarks.Monitoring;

/// <summary>
/// Cost of one measurement while EventKit.Monitoring listens. Baseline: the naive approach, every sample appended to a
/// list under a lock (sorted later for percentiles). Each invocation records 1,000 values, so the table's figures are
/// per measurement.
/// </summary>
[MemoryDiagnoser]
public class RecordingBenchmarks : IDisposable
{
    private const int Batch = 1000;
    private readonly Lock _gate = new();
    private readonly List<double> _samples = new(1 << 20);
    private readonly DDSketch _sketch = new();
    private readonly KeyValuePair<string, object?> _status = new("eventkit.checkin.status", "admitted");
    private readonly double[] _values = new double[Batch];
    private ServiceProvider _provider = null!;
    private MetricsCollector _collector = null!;
    private Histogram<double> _duration = null!;
    private Counter<long> _outcomes = null!;

    [GlobalSetup]
    public void Setup()
    {
        var random = new Random(1);
        for (var i = 0; i < Batch; i++)
        {
            _values[i] = Math.Exp(Math.Log(0.005) + random.NextDouble());
        }

        _provider = new ServiceCollection().AddMetrics().BuildServiceProvider();
        var factory = _provider.GetRequiredService<IMeterFactory>();
        _collector = new MetricsCollector(Options.Create(new MonitoringOptions { ListenToRuntime = false, UseResourceMonitoring = false }), factory, TimeProvider.System);
        _collector.Start();
        var meter = factory.Create(EventKitDiagnostics.CheckIn);
        _duration = meter.CreateHistogram<double>("eventkit.checkin.duration");
        _outcomes = meter.CreateCounter<long>("eventkit.checkin.outcomes");
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = Batch)]
    public void LockedList()
    {
        foreach (var value in _values)
        {
            lock (_gate)
            {
                _samples.Add(value);
            }
        }

        if (_samples.Count > 1 << 19)
        {
            _samples.Clear();
        }
    }

    [Benchmark(OperationsPerInvoke = Batch)]
    public void SketchRecord()
    {
        foreach (var value in _values)
        {
            _sketch.Record(value);
        }
    }

    [Benchmark(OperationsPerInvoke = Batch)]
    public void HistogramThroughListener()
    {
        foreach (var value in _values)
        {
            _duration.Record(value, _status);
        }
    }

    [Benchmark(OperationsPerInvoke = Batch)]
    public void CounterThroughListener()
    {
        for (var i = 0; i < Batch; i++)
        {
            _outcomes.Add(1, _status);
        }
    }

    [GlobalCleanup]
    public void Dispose()
    {
        _collector.Dispose();
        _provider.Dispose();
        GC.SuppressFinalize(this);
    }
}
