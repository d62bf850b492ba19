using EventKit.Monitoring.Internal;

namespace EventKit.Monitoring.Tests.Internal;

public class DDSketchTests
{
    private const int Samples = 1_000_000;
    private static readonly double[] Quantiles = [0.01, 0.25, 0.5, 0.75, 0.9, 0.95, 0.99, 0.999];

    public static TheoryData<string> Distributions => ["lognormal", "exponential", "pareto"];

    [Theory]
    [MemberData(nameof(Distributions))]
    public void Quantiles_are_within_one_percent_of_the_exact_sorted_quantiles(string distribution)
    {
        var random = new Random(20261202);
        var values = new double[Samples];
        var sketch = new DDSketch();
        for (var i = 0; i < Samples; i++)
        {
            values[i] = Sample(distribution, random);
            sketch.Record(values[i]);
        }

        Array.Sort(values);
        foreach (var q in Quantiles)
        {
            var exact = values[(int)Math.Floor(q * (Samples - 1))];
            var estimate = sketch.GetQuantile(q);
            var error = Math.Abs(estimate - exact) / exact;
            Assert.True(error <= 0.01, $"{distribution} q={q}: sketch {estimate}, exact {exact}, relative error {error:P3}");
        }
    }

    [Fact]
    public void Merged_halves_answer_like_one_sketch_and_harvest_loses_nothing()
    {
        var random = new Random(7);
        var whole = new DDSketch();
        var left = new DDSketch();
        var right = new DDSketch();
        for (var i = 0; i < 100_000; i++)
        {
            var value = Sample("lognormal", random);
            whole.Record(value);
            (i % 2 == 0 ? left : right).Record(value);
        }

        var merged = new SketchAccumulator();
        merged.Add(left.Harvest()!);
        merged.Add(right.Harvest()!);

        Assert.Equal(100_000, merged.Count);
        foreach (var q in Quantiles)
        {
            Assert.Equal(whole.GetQuantile(q), merged.GetQuantile(q));
        }

        Assert.Null(left.Harvest());
    }

    [Fact]
    public void Zero_and_out_of_range_values_are_counted_not_lost()
    {
        var sketch = new DDSketch();
        sketch.Record(0);
        sketch.Record(-1);
        sketch.Record(1e12);
        Assert.Equal(0, sketch.GetQuantile(0));
        Assert.InRange(sketch.GetQuantile(1), DDSketch.MaxValue * 0.99, DDSketch.MaxValue * 1.01);
        var snapshot = sketch.Harvest()!;
        Assert.Equal(3, snapshot.Count);
        Assert.Equal(2, snapshot.ZeroCount);
    }

    [Fact]
    public void Concurrent_writers_and_harvests_lose_no_value()
    {
        var sketch = new DDSketch();
        var harvested = new SketchAccumulator();
        using var stop = new CancellationTokenSource();
        var writers = Enumerable.Range(0, 4).Select(w => Task.Run(() =>
        {
            for (var i = 0; i < 250_000; i++)
            {
                sketch.Record(0.001 * (1 + (i % 1000)));
            }
        })).ToArray();
        while (!Task.WhenAll(writers).IsCompleted)
        {
            if (sketch.Harvest() is { } part)
            {
                harvested.Add(part);
            }
        }

        if (sketch.Harvest() is { } rest)
        {
            harvested.Add(rest);
        }

        Assert.Equal(1_000_000, harvested.Count);
    }

    private static double Sample(string distribution, Random random)
    {
        var u = 1 - random.NextDouble(); // (0, 1]
        return distribution switch
        {
            // Latency-like: median 20 ms, long right tail.
            "lognormal" => Math.Exp(Math.Log(0.02) + (0.8 * Normal(random))),
            "exponential" => -Math.Log(u) * 0.005,
            // Heavy tail: minimum 1 ms, alpha 1.5.
            _ => 0.001 / Math.Pow(u, 1 / 1.5),
        };
    }

    private static double Normal(Random random)
    {
        var u1 = 1 - random.NextDouble();
        var u2 = random.NextDouble();
        return Math.Sqrt(-2 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2);
    }
}
