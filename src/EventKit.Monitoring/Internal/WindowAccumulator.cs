namespace EventKit.Monitoring.Internal;

/// <summary>
/// Collects one window's seconds from one or more series: per-second values summed across series (so a filter over
/// several series reads as one) and, for histograms, the merged sketch.
/// </summary>
internal sealed class WindowAccumulator
{
    private readonly long _first;
    private readonly double[] _values;
    private readonly bool[] _present;
    private SketchAccumulator? _sketch;

    public WindowAccumulator(long firstSecond, int seconds)
    {
        _first = firstSecond;
        _values = new double[seconds];
        _present = new bool[seconds];
    }

    public int Seconds => _values.Length;

    public SketchAccumulator? Sketch => _sketch;

    public void Add(long second, double value, SparseSketch? sketch)
    {
        var i = second - _first;
        if (i < 0 || i >= _values.Length)
        {
            return;
        }

        if (!double.IsNaN(value))
        {
            _values[i] += value;
            _present[i] = true;
        }

        if (sketch is not null)
        {
            (_sketch ??= new SketchAccumulator()).Add(sketch);
        }
    }

    public bool Present(int index) => _present[index];

    public double Value(int index) => _values[index];

    public double Total()
    {
        var total = 0.0;
        foreach (var value in _values)
        {
            total += value;
        }

        return total;
    }
}
