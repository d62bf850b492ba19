using System.Diagnostics.Metrics;
using EventKit.Monitoring.Internal;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace EventKit.Monitoring.Tests.Internal;

public sealed class MetricsCollectorTests : IDisposable
{
    private readonly ServiceProvider _provider = new ServiceCollection().AddMetrics().BuildServiceProvider();
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 12, 2, 10, 0, 0, TimeSpan.Zero));
    private readonly MetricsCollector _collector;
    private readonly Meter _meter;

    public MetricsCollectorTests()
    {
        var factory = _provider.GetRequiredService<IMeterFactory>();
        _collector = new MetricsCollector(Options.Create(new MonitoringOptions { ListenToRuntime = false, ListenToNpgsql = false, UseResourceMonitoring = false }), factory, _time);
        _meter = factory.Create(EventKitDiagnostics.CheckIn);
        _collector.Start();
    }

    [Fact]
    public void Counters_keep_per_second_increases_and_windows_sum_them()
    {
        var outcomes = _meter.CreateCounter<long>("eventkit.checkin.outcomes");
        for (var second = 0; second < 120; second++)
        {
            for (var i = 0; i < 10; i++)
            {
                outcomes.Add(1, new KeyValuePair<string, object?>("eventkit.checkin.status", i < 9 ? "admitted" : "duplicate"));
            }

            Advance();
        }

        var admitted = _collector.GetStatistics("eventkit.checkin.outcomes", Tags("eventkit.checkin.status", "admitted"), TimeSpan.FromMinutes(1))!;
        Assert.Equal(9 * 60, admitted.Total);
        Assert.Equal(9, admitted.RatePerSecond, 6);
        var all = _collector.GetStatistics("eventkit.checkin.outcomes", null, TimeSpan.FromMinutes(5))!;
        Assert.Equal(1200, all.Total);
        Assert.Equal(120, all.CoveredSeconds);
        Assert.Null(_collector.GetStatistics("eventkit.checkin.outcomes", Tags("eventkit.checkin.status", "unknown_gate"), TimeSpan.FromMinutes(1)));
    }

    [Fact]
    public void Histograms_give_percentiles_per_window_and_forget_after_fifteen_minutes()
    {
        var duration = _meter.CreateHistogram<double>("eventkit.checkin.duration");
        for (var i = 1; i <= 1000; i++)
        {
            duration.Record(i / 1000.0);
        }

        Advance();
        var stats = _collector.GetStatistics("eventkit.checkin.duration", null, TimeSpan.FromMinutes(1))!;
        Assert.Equal(1000, stats.Total);
        Assert.InRange(stats.P50!.Value, 0.5 * 0.99, 0.5 * 1.01);
        Assert.InRange(stats.P99!.Value, 0.99 * 0.99, 0.99 * 1.01);
        Assert.InRange(stats.Average!.Value, 0.5005 * 0.999, 0.5005 * 1.001);

        var points = _collector.GetPoints("eventkit.checkin.duration", null, MetricPointValue.P95, TimeSpan.FromMinutes(15));
        Assert.Equal(900, points.Count);
        Assert.InRange(points[^1].Value!.Value, 0.95 * 0.99, 0.95 * 1.01);

        for (var i = 0; i < 61; i++)
        {
            Advance();
        }

        Assert.Equal(0, _collector.GetStatistics("eventkit.checkin.duration", null, TimeSpan.FromMinutes(1))!.Total);
        Assert.Equal(1000, _collector.GetStatistics("eventkit.checkin.duration", null, TimeSpan.FromMinutes(15))!.Total);
        for (var i = 0; i < 900; i++)
        {
            Advance();
        }

        Assert.Equal(0, _collector.GetStatistics("eventkit.checkin.duration", null, TimeSpan.FromMinutes(15))!.Total);
    }

    [Fact]
    public void Observable_counters_become_increases_and_gauges_keep_their_value()
    {
        long total = 100;
        var level = 3.0;
        _meter.CreateObservableCounter("eventkit.test.total", () => total);
        _meter.CreateObservableGauge("eventkit.test.level", () => level);
        Advance();
        total = 150;
        level = 7;
        Advance();
        total = 160;
        level = 5;
        Advance();

        var increase = _collector.GetStatistics("eventkit.test.total", null, TimeSpan.FromMinutes(1))!;
        Assert.Equal(60, increase.Total);
        var gauge = _collector.GetStatistics("eventkit.test.level", null, TimeSpan.FromMinutes(1))!;
        Assert.Equal(5, gauge.Last);
        Assert.Equal(7, gauge.Max);
        Assert.Equal(3, gauge.Min);
    }

    [Fact]
    public void Http_durations_split_by_route_and_status_class()
    {
        using var aspNetCore = _provider.GetRequiredService<IMeterFactory>().Create(MetricsCollector.AspNetCoreHostingMeter);
        var duration = aspNetCore.CreateHistogram<double>("http.server.request.duration");
        duration.Record(0.01, new("http.route", "/api/v1/checkins"), new("http.response.status_code", 201));
        duration.Record(0.02, new("http.route", "/api/v1/checkins"), new("http.response.status_code", 409));
        duration.Record(0.03, new("http.route", "/api/v1/checkins"), new("http.response.status_code", 503));
        duration.Record(0.04, new("http.route", "/api/v1/checkins"), new("http.response.status_code", 500));
        Advance();

        var errors = _collector.GetStatistics("http.server.request.duration", Tags(InstrumentSeries.StatusClassTag, "5xx"), TimeSpan.FromMinutes(1))!;
        Assert.Equal(2, errors.Total);
        var snapshot = _collector.GetSnapshot();
        Assert.Equal(3, snapshot.Series.Count(s => s.Instrument == "http.server.request.duration"));
    }

    [Fact]
    public void Meters_of_another_host_in_the_same_process_are_ignored()
    {
        using var other = new ServiceCollection().AddMetrics().BuildServiceProvider();
        using var otherMeter = other.GetRequiredService<IMeterFactory>().Create(EventKitDiagnostics.CheckIn);
        otherMeter.CreateCounter<long>("eventkit.checkin.outcomes").Add(5);
        Advance();
        Assert.Null(_collector.GetStatistics("eventkit.checkin.outcomes", null, TimeSpan.FromMinutes(1)));
    }

    [Fact]
    public void Recording_a_measurement_allocates_nothing()
    {
        var duration = _meter.CreateHistogram<double>("eventkit.checkin.duration");
        var outcomes = _meter.CreateCounter<long>("eventkit.checkin.outcomes");
        var status = new KeyValuePair<string, object?>("eventkit.checkin.status", "admitted");
        for (var i = 0; i < 10_000; i++)
        {
            duration.Record(0.001 * (i % 100), status);
            outcomes.Add(1, status);
        }

        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 10_000; i++)
        {
            duration.Record(0.001 * (i % 100), status);
            outcomes.Add(1, status);
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }

    private void Advance()
    {
        _time.Advance(TimeSpan.FromSeconds(1));
        _collector.Tick();
    }

    private static Dictionary<string, string> Tags(string name, string value) => new() { [name] = value };

    public void Dispose()
    {
        _collector.Dispose();
        _provider.Dispose();
    }
}
