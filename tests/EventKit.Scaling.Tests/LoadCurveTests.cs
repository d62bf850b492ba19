using System.Globalization;
using EventKit.Scaling.Internal;
using Xunit.Abstractions;

namespace EventKit.Scaling.Tests;

public sealed class LoadCurveTests(ITestOutputHelper output)
{
    // An arrival wave as the demo records it: CPU demand in "node-equivalents at the 0.7 target" every 15 s.
    // Doors open at 2 min, peak 5–9 min (noisy), drop at 10 min, quiet after.
    private static double Demand(int second) => second switch
    {
        < 120 => 1.0,
        < 300 => 1.0 + ((second - 120) / 180.0 * 6.0),
        < 540 => 7.0 + (((second / 15) % 3) - 1) * 0.6,
        < 600 => 4.0,
        _ => 1.0,
    };

    [Fact]
    public void A_recorded_wave_scales_up_within_the_rate_limits_and_down_only_after_the_window()
    {
        var options = new ScalingOptions { TargetInFlightPerNode = 0, TargetWriterBacklogPerNode = 0, TargetP95Milliseconds = 0 };
        var hpa = new HpaRecommender(options);
        var start = DateTimeOffset.UnixEpoch;
        var replicas = 2;
        var lastUp = -1;
        var firstDownAfterPeak = -1;
        output.WriteLine("| t (s) | demand | CPU/node | current | desired | reason |");
        output.WriteLine("|---:|---:|---:|---:|---:|---|");
        for (var t = 0; t <= 1200; t += 15)
        {
            var cpu = Math.Min(1.0, Demand(t) * 0.7 / replicas);
            var r = hpa.Evaluate(new ScalingInputs(replicas, cpu, 0, 0, 0), start.AddSeconds(t));
            if (r.DesiredReplicas != replicas || t % 120 == 0)
            {
                output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| {t} | {Demand(t):0.0} | {cpu:0.00} | {replicas} | {r.DesiredReplicas} | {r.Reason} |"));
            }

            if (r.DesiredReplicas > replicas)
            {
                lastUp = t;
            }
            else if (r.DesiredReplicas < replicas && firstDownAfterPeak < 0 && t > 540)
            {
                firstDownAfterPeak = t;
            }

            Assert.InRange(r.DesiredReplicas, 2, 10);
            replicas = r.DesiredReplicas;
        }

        Assert.True(lastUp > 0, "the wave scaled up");
        Assert.True(firstDownAfterPeak - lastUp >= 300, $"first scale-down at {firstDownAfterPeak} s, last scale-up at {lastUp} s");
        Assert.Equal(2, replicas); // back to the minimum when the wave is over
    }
}
