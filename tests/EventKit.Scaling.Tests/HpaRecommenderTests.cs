using EventKit.Scaling.Internal;
using FsCheck;
using FsCheck.Fluent;

namespace EventKit.Scaling.Tests;

public sealed class HpaRecommenderTests
{
    private static readonly TimeSpan Step = TimeSpan.FromSeconds(15);

    [Theory]
    [InlineData(4, 0.7, 4)]   // on target
    [InlineData(4, 0.75, 4)]  // within 10 %
    [InlineData(4, 1.05, 6)]  // ceil(4 × 1.5) = 6, the scale-up limit too
    [InlineData(4, 1.4, 6)]   // ceil(4 × 2) = 8, limited to max(×1.5, +1) = 6
    public void Desired_is_ceil_of_current_times_ratio_within_the_limits(int current, double cpu, int expected)
    {
        var hpa = new HpaRecommender(Options());
        var result = hpa.Evaluate(new ScalingInputs(current, cpu, 0, 0, 0), DateTimeOffset.UnixEpoch);
        Assert.Equal(expected, result.DesiredReplicas);
        Assert.Contains(result.Metrics, m => m.Metric == "cpu");
    }

    [Fact]
    public void The_highest_metric_wins_and_each_says_why()
    {
        var hpa = new HpaRecommender(Options(o => o.ScaleUpFactor = 10));
        var result = hpa.Evaluate(new ScalingInputs(2, 0.7, 3000, 10, 0), DateTimeOffset.UnixEpoch);
        Assert.Equal(6, result.DesiredReplicas); // p95 3000 / 1000 → ceil(2 × 3) = 6
        Assert.Equal(6, result.RawReplicas);
        Assert.Contains("within", Assert.Single(result.Metrics, m => m.Metric == "cpu").Reason, StringComparison.Ordinal);
        Assert.Equal(6, Assert.Single(result.Metrics, m => m.Metric == "p95").ProposedReplicas);
    }

    [Fact]
    public void The_seed_traps_do_not_apply_two_never_drops_to_one_and_one_grows()
    {
        var hpa = new HpaRecommender(Options(o => o.ScaleDownStabilizationWindow = TimeSpan.Zero));
        Assert.Equal(2, hpa.Evaluate(new ScalingInputs(2, 0.01, 0, 0, 0), DateTimeOffset.UnixEpoch).DesiredReplicas);
        var grow = new HpaRecommender(Options(o => o.MinReplicas = 1));
        Assert.Equal(2, grow.Evaluate(new ScalingInputs(1, 0.9, 0, 0, 0), DateTimeOffset.UnixEpoch).DesiredReplicas);
    }

    [Fact]
    public void A_drop_in_load_waits_for_the_stabilisation_window()
    {
        var hpa = new HpaRecommender(Options());
        var t0 = DateTimeOffset.UnixEpoch;
        Assert.Equal(6, hpa.Evaluate(new ScalingInputs(6, 0.7, 0, 0, 0), t0).DesiredReplicas);
        var held = hpa.Evaluate(new ScalingInputs(6, 0.1, 0, 0, 0), t0 + TimeSpan.FromSeconds(299));
        Assert.Equal(6, held.DesiredReplicas);
        Assert.Contains("stabilisation", held.Reason, StringComparison.Ordinal);
        var after = hpa.Evaluate(new ScalingInputs(6, 0.1, 0, 0, 0), t0 + TimeSpan.FromSeconds(301));
        Assert.Equal(4, after.DesiredReplicas); // min(floor(6 × 0.7) = 4, 5)
    }

    [Fact]
    public void Property_never_below_min_nor_above_max()
    {
        Prop.ForAll(Loads(), Gen.Choose(0, 15).ToArbitrary(), (loads, start) => Simulate(Options(), start, loads).All(s => s.Desired is >= 2 and <= 10))
            .QuickCheckThrowOnFailure();
    }

    [Fact]
    public void Property_no_scale_down_inside_the_stabilisation_window_after_a_scale_up()
    {
        Prop.ForAll(Loads(), Gen.Choose(2, 10).ToArbitrary(), (loads, start) =>
        {
            var steps = Simulate(Options(), start, loads);
            DateTimeOffset? lastUp = null;
            foreach (var s in steps)
            {
                if (s.Desired < s.Current && lastUp is { } up && s.At - up < TimeSpan.FromSeconds(300))
                {
                    return false;
                }

                if (s.Desired > s.Current)
                {
                    lastUp = s.At;
                }
            }

            return true;
        }).QuickCheckThrowOnFailure();
    }

    [Fact]
    public void Property_changes_per_period_stay_within_the_policies_under_noisy_load()
    {
        Prop.ForAll(Loads(), Gen.Choose(2, 10).ToArbitrary(), (loads, start) =>
        {
            var steps = Simulate(Options(), start, loads);
            foreach (var s in steps)
            {
                // The replica count one period before this step (what HPA calls the period start).
                var before = steps.LastOrDefault(p => p.At <= s.At - TimeSpan.FromSeconds(60))?.Desired ?? steps[0].Current;
                var baseline = Math.Clamp(before, 2, 10);
                if (s.Desired > baseline && s.Desired > Math.Max((int)Math.Ceiling(baseline * 1.5), baseline + 1))
                {
                    return false;
                }

                if (s.Desired < baseline && s.Desired < Math.Min((int)Math.Floor(baseline * 0.7), baseline - 1))
                {
                    return false;
                }
            }

            return true;
        }).QuickCheckThrowOnFailure();
    }

    [Fact]
    public void Property_one_or_two_nodes_can_always_grow_and_never_drop_below_min()
    {
        Prop.ForAll(Gen.Choose(1, 2).ToArbitrary(), Gen.Choose(0, 300).ToArbitrary(), (current, cpuPercent) =>
        {
            var hpa = new HpaRecommender(Options());
            var desired = hpa.Evaluate(new ScalingInputs(current, cpuPercent / 100.0, 0, 0, 0), DateTimeOffset.UnixEpoch).DesiredReplicas;
            var mustGrow = cpuPercent / 100.0 / 0.7 > 1.1 && current == 2;
            return desired >= 2 && (!mustGrow || desired > current);
        }).QuickCheckThrowOnFailure();
    }

    private static Arbitrary<int[]> Loads() => Gen.ArrayOf(Gen.Choose(0, 250)).ToArbitrary();

    // Evaluates every 15 s on a FakeTimeProvider-style clock; an executor applies each recommendation at once.
    private static List<StepResult> Simulate(ScalingOptions options, int start, int[] loads)
    {
        var hpa = new HpaRecommender(options);
        var time = new Microsoft.Extensions.Time.Testing.FakeTimeProvider(DateTimeOffset.UnixEpoch);
        var current = start;
        var steps = new List<StepResult>(loads.Length);
        foreach (var load in loads)
        {
            var result = hpa.Evaluate(new ScalingInputs(current, load / 100.0, 0, 0, 0), time.GetUtcNow());
            steps.Add(new StepResult(time.GetUtcNow(), current, result.DesiredReplicas));
            current = result.DesiredReplicas;
            time.Advance(Step);
        }

        return steps;
    }

    private static ScalingOptions Options(Action<ScalingOptions>? configure = null)
    {
        var options = new ScalingOptions
        {
            TargetP95Milliseconds = 1000,
            TargetInFlightPerNode = 0,
            TargetWriterBacklogPerNode = 0,
        };
        configure?.Invoke(options);
        return options;
    }

    private sealed record StepResult(DateTimeOffset At, int Current, int Desired);
}
