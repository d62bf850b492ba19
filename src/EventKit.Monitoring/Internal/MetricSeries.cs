namespace EventKit.Monitoring.Internal;

/// <summary>
/// One instrument + key-tag combination: a lock-free recording cell (double-buffered, so the 1 s tick can take a
/// finished second while writers already fill the next) and a ring of 900 closed seconds (15 minutes).
/// </summary>
/// <remarks>
/// Writers touch only the active cell (<see cref="Interlocked"/>). The tick flips <c>_active</c> and drains the
/// other cell by exchange, so a write that raced the flip lands in the next drain instead of being lost. The ring is
/// written by the tick and read by queries under <c>_ring</c>'s lock: neither is on the measurement path.
/// </remarks>
internal sealed class MetricSeries
{
    public const int RetainedSeconds = 900;

    private readonly DDSketch[]? _sketches;
    private readonly double[] _sums = new double[2];
    private readonly Lock _ring = new();
    private readonly long[] _slotSecond = new long[RetainedSeconds];
    private readonly double[] _slotValue = new double[RetainedSeconds];
    private readonly SparseSketch?[]? _slotSketch;
    private int _active;
    private double _gauge;
    private double _pending;
    private bool _pendingSeen;
    private double _lastCumulative;
    private bool _hasCumulative;

    public MetricSeries(string instrument, string unit, SeriesKind kind, bool observable, bool runningTotal, IReadOnlyDictionary<string, string> tags)
    {
        Instrument = instrument;
        Unit = unit;
        Kind = kind;
        Observable = observable;
        RunningTotal = runningTotal;
        Tags = tags;
        Array.Fill(_slotSecond, -1);
        if (kind == SeriesKind.Histogram)
        {
            _sketches = [new DDSketch(), new DDSketch()];
            _slotSketch = new SparseSketch?[RetainedSeconds];
        }
    }

    public string Instrument { get; }

    public string Unit { get; }

    public SeriesKind Kind { get; }

    /// <summary>Reported by a callback on each tick (observable counters report cumulative totals).</summary>
    public bool Observable { get; }

    /// <summary>A synchronous up-down counter: the gauge value is the running total of its deltas.</summary>
    public bool RunningTotal { get; }

    public IReadOnlyDictionary<string, string> Tags { get; }

    /// <summary>Records one measurement from a synchronous instrument. Lock-free, allocation-free.</summary>
    public void Record(double value)
    {
        switch (Kind)
        {
            case SeriesKind.Histogram:
                _sketches![Volatile.Read(ref _active)].Record(value);
                break;
            case SeriesKind.Counter:
                Add(ref _sums[Volatile.Read(ref _active)], value);
                break;
            default:
                if (RunningTotal)
                {
                    Add(ref _gauge, value);
                }
                else
                {
                    Volatile.Write(ref _gauge, value);
                }

                break;
        }
    }

    /// <summary>Takes one observation from an observable instrument (tick thread only); several tag sets in one series add up.</summary>
    public void Observe(double value)
    {
        _pending += value;
        _pendingSeen = true;
    }

    /// <summary>Closes <paramref name="second"/> (Unix seconds): moves what was recorded since the last close into the ring. Tick thread only.</summary>
    public void Close(long second)
    {
        var previous = Volatile.Read(ref _active);
        Volatile.Write(ref _active, previous ^ 1);
        SparseSketch? sketch = null;
        double value;
        if (Kind == SeriesKind.Histogram)
        {
            sketch = _sketches![previous].Harvest();
            value = sketch?.Count ?? 0;
        }
        else if (Observable)
        {
            value = ObservedValue();
        }
        else if (Kind == SeriesKind.Counter)
        {
            value = Interlocked.Exchange(ref _sums[previous], 0);
        }
        else
        {
            value = Volatile.Read(ref _gauge);
        }

        var slot = (int)(second % RetainedSeconds);
        lock (_ring)
        {
            _slotSecond[slot] = second;
            _slotValue[slot] = value;
            if (_slotSketch is not null)
            {
                _slotSketch[slot] = sketch;
            }
        }
    }

    private double ObservedValue()
    {
        var seen = _pendingSeen;
        var pending = _pending;
        _pending = 0;
        _pendingSeen = false;
        if (!seen)
        {
            return Kind == SeriesKind.Counter ? 0 : double.NaN;
        }

        if (Kind != SeriesKind.Counter)
        {
            return pending;
        }

        // Observable counters report totals since they started: the second's value is the increase (a reset counts from 0).
        var delta = !_hasCumulative ? 0 : pending >= _lastCumulative ? pending - _lastCumulative : pending;
        _lastCumulative = pending;
        _hasCumulative = true;
        return delta;
    }

    /// <summary>Adds the seconds in (<paramref name="fromExclusive"/>, <paramref name="toInclusive"/>] to <paramref name="window"/>.</summary>
    public void AddTo(WindowAccumulator window, long fromExclusive, long toInclusive)
    {
        lock (_ring)
        {
            for (var second = Math.Max(fromExclusive + 1, toInclusive - RetainedSeconds + 1); second <= toInclusive; second++)
            {
                var slot = (int)(second % RetainedSeconds);
                if (_slotSecond[slot] != second)
                {
                    continue;
                }

                window.Add(second, _slotValue[slot], _slotSketch?[slot]);
            }
        }
    }

    /// <summary>The sketch closed for <paramref name="second"/>, if this is a histogram and the second is still kept.</summary>
    public SparseSketch? SketchAt(long second)
    {
        if (_slotSketch is null)
        {
            return null;
        }

        var slot = (int)(second % RetainedSeconds);
        lock (_ring)
        {
            return _slotSecond[slot] == second ? _slotSketch[slot] : null;
        }
    }

    /// <summary>Whether this series carries every tag in <paramref name="filter"/> with the same value.</summary>
    public bool Matches(IReadOnlyDictionary<string, string>? filter)
    {
        if (filter is null)
        {
            return true;
        }

        foreach (var (name, value) in filter)
        {
            if (!Tags.TryGetValue(name, out var actual) || !string.Equals(actual, value, StringComparison.Ordinal))
            {
                return false;
            }
        }

        return true;
    }

    private static void Add(ref double target, double value)
    {
        var current = Volatile.Read(ref target);
        while (true)
        {
            var seen = Interlocked.CompareExchange(ref target, current + value, current);
            if (seen.Equals(current))
            {
                return;
            }

            current = seen;
        }
    }
}
