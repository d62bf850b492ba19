namespace EventKit.LoadTest;

/// <summary>Nearest-rank p50, p99 and maximum of a set of durations in milliseconds (NaN when there are none).</summary>
internal sealed record PropagationSummary(int Count, double P50, double P99, double Max)
{
    public static PropagationSummary From(IEnumerable<double> milliseconds)
    {
        var sorted = milliseconds.Order().ToArray();
        return sorted.Length == 0
            ? new PropagationSummary(0, double.NaN, double.NaN, double.NaN)
            : new PropagationSummary(sorted.Length, Percentile(sorted, 0.50), Percentile(sorted, 0.99), sorted[^1]);
    }

    /// <summary>The smallest value with at least <paramref name="quantile"/> of the values at or below it.</summary>
    internal static double Percentile(double[] sorted, double quantile)
    {
        var rank = (int)Math.Ceiling(quantile * sorted.Length);
        return sorted[Math.Clamp(rank, 1, sorted.Length) - 1];
    }

    public string Text => Count == 0 ? "no samples" : $"p50 {P50:N1} ms, p99 {P99:N1} ms, max {Max:N1} ms ({Count:N0} samples)";
}
