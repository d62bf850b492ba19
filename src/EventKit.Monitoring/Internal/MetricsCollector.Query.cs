namespace EventKit.Monitoring.Internal;

internal sealed partial class MetricsCollector
{
    private static readonly TimeSpan[] Views = [TimeSpan.FromMinutes(1), TimeSpan.FromMinutes(5), TimeSpan.FromMinutes(15)];

    public MetricsSnapshot GetSnapshot()
    {
        var all = Volatile.Read(ref _all);
        var series = new List<MetricSeriesSnapshot>(all.Length);
        foreach (var one in all)
        {
            MetricSeries[] single = [one];
            series.Add(new MetricSeriesSnapshot(
                one.Instrument,
                one.Unit,
                KindName(one.Kind),
                one.Tags,
                Statistics(single, Views[0])!,
                Statistics(single, Views[1])!,
                Statistics(single, Views[2])!));
        }

        series.Sort(static (x, y) =>
        {
            var byName = string.CompareOrdinal(x.Instrument, y.Instrument);
            return byName != 0 ? byName : string.CompareOrdinal(string.Join(',', x.Tags.Values), string.Join(',', y.Tags.Values));
        });
        return new MetricsSnapshot(_time.GetUtcNow(), series);
    }

    public WindowStatistics? GetStatistics(string instrument, IReadOnlyDictionary<string, string>? tags, TimeSpan window)
    {
        ArgumentException.ThrowIfNullOrEmpty(instrument);
        var matching = Matching(instrument, tags);
        return matching.Count == 0 ? null : Statistics(matching, window);
    }

    public double? GetQuantile(string instrument, IReadOnlyDictionary<string, string>? tags, TimeSpan window, double quantile)
    {
        ArgumentException.ThrowIfNullOrEmpty(instrument);
        var matching = Matching(instrument, tags);
        if (matching.Count == 0)
        {
            return null;
        }

        var seconds = Seconds(window);
        var last = LastClosedSecond;
        var accumulator = new WindowAccumulator(last - seconds + 1, seconds);
        foreach (var series in matching)
        {
            series.AddTo(accumulator, last - seconds, last);
        }

        return Quantile(accumulator.Sketch, quantile);
    }

    public IReadOnlyList<MetricPoint> GetPoints(string instrument, IReadOnlyDictionary<string, string>? tags, MetricPointValue value, TimeSpan window)
    {
        ArgumentException.ThrowIfNullOrEmpty(instrument);
        var matching = Matching(instrument, tags);
        var seconds = Seconds(window);
        var last = LastClosedSecond;
        var points = new MetricPoint[seconds];
        var first = last - seconds + 1;
        for (var i = 0; i < seconds; i++)
        {
            points[i] = new MetricPoint(first + i, null);
        }

        if (matching.Count == 0)
        {
            return points;
        }

        if (value == MetricPointValue.Value)
        {
            var accumulator = new WindowAccumulator(first, seconds);
            foreach (var series in matching)
            {
                series.AddTo(accumulator, first - 1, last);
            }

            for (var i = 0; i < seconds; i++)
            {
                points[i] = new MetricPoint(first + i, accumulator.Present(i) ? accumulator.Value(i) : null);
            }

            return points;
        }

        var quantile = value switch
        {
            MetricPointValue.P50 => 0.50,
            MetricPointValue.P95 => 0.95,
            _ => 0.99,
        };
        var scratch = new SketchAccumulator();
        for (var i = 0; i < seconds; i++)
        {
            scratch.Clear();
            foreach (var series in matching)
            {
                if (series.SketchAt(first + i) is { } sketch)
                {
                    scratch.Add(sketch);
                }
            }

            points[i] = new MetricPoint(first + i, Quantile(scratch, quantile));
        }

        return points;
    }

    private List<MetricSeries> Matching(string instrument, IReadOnlyDictionary<string, string>? tags)
    {
        var matching = new List<MetricSeries>();
        foreach (var series in Volatile.Read(ref _all))
        {
            if (string.Equals(series.Instrument, instrument, StringComparison.Ordinal) && series.Matches(tags))
            {
                matching.Add(series);
            }
        }

        return matching;
    }

    private WindowStatistics Statistics(IReadOnlyList<MetricSeries> series, TimeSpan window)
    {
        var seconds = Seconds(window);
        var last = LastClosedSecond;
        var covered = (int)Math.Clamp(last - _startSecond, 0, seconds);
        var accumulator = new WindowAccumulator(last - seconds + 1, seconds);
        foreach (var one in series)
        {
            one.AddTo(accumulator, last - seconds, last);
        }

        var kind = series[0].Kind;
        var total = accumulator.Total();
        var rate = covered == 0 ? 0 : total / covered;
        if (kind == SeriesKind.Counter)
        {
            return new WindowStatistics(window, covered, total, rate, null, null, null, null, null, null, null, null);
        }

        if (kind == SeriesKind.Histogram)
        {
            var sketch = accumulator.Sketch;
            var count = sketch?.Count ?? 0;
            return new WindowStatistics(
                window,
                covered,
                count,
                covered == 0 ? 0 : count / (double)covered,
                null,
                null,
                Quantile(sketch, 1),
                count == 0 ? null : sketch!.Sum / count,
                Quantile(sketch, 0.50),
                Quantile(sketch, 0.90),
                Quantile(sketch, 0.95),
                Quantile(sketch, 0.99));
        }

        double? lastValue = null;
        var min = double.MaxValue;
        var max = double.MinValue;
        var sum = 0.0;
        var present = 0;
        for (var i = 0; i < accumulator.Seconds; i++)
        {
            if (!accumulator.Present(i))
            {
                continue;
            }

            var value = accumulator.Value(i);
            lastValue = value;
            min = Math.Min(min, value);
            max = Math.Max(max, value);
            sum += value;
            present++;
        }

        return present == 0
            ? new WindowStatistics(window, covered, 0, 0, null, null, null, null, null, null, null, null)
            : new WindowStatistics(window, covered, 0, 0, lastValue, min, max, sum / present, null, null, null, null);
    }

    private static double? Quantile(SketchAccumulator? sketch, double quantile) => sketch is null || sketch.Count == 0 ? null : sketch.GetQuantile(quantile);

    private static int Seconds(TimeSpan window) => (int)Math.Clamp(Math.Round(window.TotalSeconds), 1, MetricSeries.RetainedSeconds);

    private static string KindName(SeriesKind kind) => kind switch
    {
        SeriesKind.Counter => "counter",
        SeriesKind.Gauge => "gauge",
        _ => "histogram",
    };
}
