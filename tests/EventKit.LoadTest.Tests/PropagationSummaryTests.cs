namespace EventKit.LoadTest.Tests;

public class PropagationSummaryTests
{
    [Fact]
    public void Nearest_rank_percentiles_of_one_to_two_hundred()
    {
        var summary = PropagationSummary.From(Enumerable.Range(1, 200).Select(static i => (double)i).Reverse());

        Assert.Equal(200, summary.Count);
        Assert.Equal(100, summary.P50);
        Assert.Equal(198, summary.P99);
        Assert.Equal(200, summary.Max);
    }

    [Fact]
    public void One_slow_change_in_a_hundred_is_the_p99_and_the_max()
    {
        var values = Enumerable.Repeat(2.0, 99).Append(750.0).ToArray();

        var summary = PropagationSummary.From(values);

        Assert.Equal(2, summary.P50);
        Assert.Equal(2, summary.P99);
        Assert.Equal(750, summary.Max);
    }

    [Fact]
    public void A_single_sample_is_every_percentile()
    {
        var summary = PropagationSummary.From([7.5]);

        Assert.Equal((1, 7.5, 7.5, 7.5), (summary.Count, summary.P50, summary.P99, summary.Max));
    }

    [Fact]
    public void No_samples_say_so()
    {
        var summary = PropagationSummary.From([]);

        Assert.Equal(0, summary.Count);
        Assert.True(double.IsNaN(summary.P99));
        Assert.Equal("no samples", summary.Text);
    }
}
