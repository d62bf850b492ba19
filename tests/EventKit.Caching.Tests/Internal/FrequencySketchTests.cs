using EventKit.Caching.Internal;

namespace EventKit.Caching.Tests.Internal;

public sealed class FrequencySketchTests
{
    [Fact]
    public void Estimates_grow_with_occurrences_and_never_undercount_without_aging()
    {
        var sketch = new FrequencySketch(10_000);

        for (var i = 1; i <= 5; i++)
        {
            Assert.True(sketch.Increment("participant:id:1") >= i);
        }

        Assert.Equal(1, sketch.Increment("participant:id:2"));
    }

    [Fact]
    public void Old_counts_fade()
    {
        var sketch = new FrequencySketch(8); // width 64: ages every 640 increments
        for (var i = 0; i < 20; i++)
        {
            sketch.Increment("popular");
        }

        // 10 × width increments of other keys halve every counter at least once.
        for (var i = 0; i < 64 * 10 * 3; i++)
        {
            sketch.Increment("other" + i);
        }

        Assert.True(sketch.Increment("popular") < 20);
    }
}
