using System.Collections.Concurrent;
using System.Diagnostics.Metrics;

namespace EventKit.Monitoring.Internal;

/// <summary>
/// The series of one listened instrument, keyed by up to two key-tag values. The lookup on the measurement path
/// uses a struct key over the tag values the instrument already holds, so it allocates nothing.
/// </summary>
internal sealed class InstrumentSeries
{
    public const string StatusClassTag = "http.response.status_class";
    private const string StatusCodeTag = "http.response.status_code";
    private const string Other = "(other)";
    private static readonly string[] StatusClasses = ["1xx", "2xx", "3xx", "4xx", "5xx"];

    private readonly ConcurrentDictionary<SeriesKey, MetricSeries> _series = new();
    private readonly string? _tagA;
    private readonly string? _tagB;
    private readonly int _maxSeries;
    private readonly Action<MetricSeries> _created;
    private readonly string _unit;
    private readonly SeriesKind _kind;
    private readonly bool _observable;
    private readonly bool _runningTotal;
    private MetricSeries? _untagged;

    public InstrumentSeries(Instrument instrument, string[] keyTags, int maxSeries, Action<MetricSeries> created)
    {
        Name = instrument.Name;
        _unit = instrument.Unit ?? "";
        (_kind, _observable, _runningTotal) = Classify(instrument);
        _tagA = keyTags.Length > 0 ? keyTags[0] : null;
        _tagB = keyTags.Length > 1 ? keyTags[1] : null;
        _maxSeries = maxSeries;
        _created = created;
    }

    public string Name { get; }

    public void Record(double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        var series = _tagA is null ? _untagged ?? CreateUntagged() : Find(tags);
        if (series.Observable)
        {
            series.Observe(value);
        }
        else
        {
            series.Record(value);
        }
    }

    private MetricSeries Find(ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        string? a = null;
        string? b = null;
        foreach (var tag in tags)
        {
            if (string.Equals(tag.Key, _tagA, StringComparison.Ordinal))
            {
                a = ValueOf(tag.Key, tag.Value);
            }
            else if (string.Equals(tag.Key, _tagB, StringComparison.Ordinal))
            {
                b = ValueOf(tag.Key, tag.Value);
            }
        }

        var key = new SeriesKey(a, b);
        if (_series.TryGetValue(key, out var series))
        {
            return series;
        }

        // Bounded: an unexpected high-cardinality tag must not grow memory without limit.
        if (_series.Count >= _maxSeries)
        {
            key = new SeriesKey(Other, _tagB is null ? null : Other);
        }

        return _series.GetOrAdd(key, Create);
    }

    private MetricSeries CreateUntagged()
    {
        lock (_series)
        {
            return _untagged ??= Create(default);
        }
    }

    private MetricSeries Create(SeriesKey key)
    {
        var tags = new Dictionary<string, string>(StringComparer.Ordinal);
        if (_tagA is not null)
        {
            tags[TagName(_tagA)] = key.A ?? "";
        }

        if (_tagB is not null)
        {
            tags[TagName(_tagB)] = key.B ?? "";
        }

        var series = new MetricSeries(Name, _unit, _kind, _observable, _runningTotal, tags);
        _created(series);
        return series;
    }

    private static string TagName(string tag) => tag == StatusCodeTag ? StatusClassTag : tag;

    private static string? ValueOf(string key, object? value) => value switch
    {
        null => null,
        string text => text,
        int code when key == StatusCodeTag => code is >= 100 and < 600 ? StatusClasses[(code / 100) - 1] : Other,
        _ => Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture),
    };

    private static (SeriesKind Kind, bool Observable, bool RunningTotal) Classify(Instrument instrument)
    {
        var name = instrument.GetType().Name;
        var observable = instrument.IsObservable;
        if (name.StartsWith("Histogram", StringComparison.Ordinal))
        {
            return (SeriesKind.Histogram, false, false);
        }

        if (name.StartsWith("Counter", StringComparison.Ordinal) || name.StartsWith("ObservableCounter", StringComparison.Ordinal))
        {
            return (SeriesKind.Counter, observable, false);
        }

        return (SeriesKind.Gauge, observable, !observable && name.StartsWith("UpDownCounter", StringComparison.Ordinal));
    }

    private readonly record struct SeriesKey(string? A, string? B);
}
