using System.Globalization;
using Xunit.Abstractions;

namespace EventKit.Scaling.Tests;

/// <summary>
/// A discrete-time simulation (1 ms ticks) of a balancer in front of 3 nodes, one 4× slower, at 70 % of total capacity.
/// Node metrics (queue length, p95) reach the balancer every second and are 1 s old when they do (1–2 s stale).
/// argmin picks the least loaded node by those metrics (the seed's sketch); round-robin ignores them; P2C picks two
/// nodes at random and takes the one with fewer requests in flight from the balancer itself (fresh, as YARP counts
/// them) weighted by the stale p95.
/// </summary>
public sealed class BalancingSimulationTests(ITestOutputHelper output)
{
    private const int Nodes = 3;
    private const int Seconds = 120;
    private static readonly double[] ServiceMs = [20, 5, 5]; // node 0 is slow

    [Fact]
    public void Argmin_on_stale_metrics_herds_and_p2c_on_fresh_in_flight_does_not()
    {
        var argmin = Run("argmin (seed)", Argmin);
        var roundRobin = Run("round-robin", RoundRobin);
        var p2c = Run("P2C (in-flight × p95)", P2c);
        output.WriteLine("| policy | p99 (ms) | max queue node 0 (slow) | node 1 | node 2 |");
        output.WriteLine("|---|---:|---:|---:|---:|");
        foreach (var r in new[] { argmin, roundRobin, p2c })
        {
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| {r.Name} | {r.P99:0} | {r.MaxQueue[0]} | {r.MaxQueue[1]} | {r.MaxQueue[2]} |"));
        }

        Assert.True(argmin.MaxQueue.Max() > 3 * p2c.MaxQueue.Max(), "argmin herds onto one node between metric updates");
        Assert.True(p2c.P99 < argmin.P99 / 3);
        Assert.True(p2c.P99 < roundRobin.P99);
    }

    private static int Argmin(State s, Random random)
    {
        var best = 0;
        for (var i = 1; i < Nodes; i++)
        {
            if (s.StaleQueue[i] < s.StaleQueue[best])
            {
                best = i;
            }
        }

        return best;
    }

    private static int RoundRobin(State s, Random random) => (int)(s.Sent++ % Nodes);

    private static int P2c(State s, Random random)
    {
        var a = random.Next(Nodes);
        var b = (a + 1 + random.Next(Nodes - 1)) % Nodes;
        double Cost(int n) => (s.InFlight[n] + 1) * Math.Max(1, s.StaleP95[n]);
        return Cost(a) <= Cost(b) ? a : b;
    }

    private static Result Run(string name, Func<State, Random, int> pick)
    {
        var random = new Random(42);
        var state = new State();
        var queues = Enumerable.Range(0, Nodes).Select(_ => new Queue<int>()).ToArray();
        var remaining = new double[Nodes];
        var latencies = new List<int>();
        var maxQueue = new int[Nodes];
        var recent = Enumerable.Range(0, Nodes).Select(_ => new List<int>()).ToArray();
        var snapshotQueue = new int[Nodes];
        var snapshotP95 = new double[Nodes];
        var capacityPerMs = ServiceMs.Sum(s => 1.0 / s);
        var rate = 0.7 * capacityPerMs;
        for (var t = 0; t < Seconds * 1000; t++)
        {
            if (t % 1000 == 0)
            {
                // Publish last second's snapshot now (1 s old on arrival), take a new one.
                Array.Copy(snapshotQueue, state.StaleQueue, Nodes);
                Array.Copy(snapshotP95, state.StaleP95, Nodes);
                for (var n = 0; n < Nodes; n++)
                {
                    snapshotQueue[n] = queues[n].Count;
                    var window = recent[n];
                    window.Sort();
                    snapshotP95[n] = window.Count == 0 ? ServiceMs[n] : window[(int)(window.Count * 0.95)];
                    window.Clear();
                }
            }

            var arrivals = Poisson(random, rate);
            for (var k = 0; k < arrivals; k++)
            {
                var node = pick(state, random);
                queues[node].Enqueue(t);
                state.InFlight[node]++;
                maxQueue[node] = Math.Max(maxQueue[node], queues[node].Count);
            }

            for (var n = 0; n < Nodes; n++)
            {
                if (queues[n].Count == 0)
                {
                    continue;
                }

                remaining[n] += 1;
                if (remaining[n] >= ServiceMs[n])
                {
                    remaining[n] = 0;
                    var latency = t + 1 - queues[n].Dequeue();
                    latencies.Add(latency);
                    recent[n].Add(latency);
                    state.InFlight[n]--;
                }
            }
        }

        latencies.Sort();
        return new Result(name, latencies[(int)(latencies.Count * 0.99)], maxQueue);
    }

    private static int Poisson(Random random, double mean)
    {
        var limit = Math.Exp(-mean);
        var k = 0;
        var p = random.NextDouble();
        while (p > limit)
        {
            k++;
            p *= random.NextDouble();
        }

        return k;
    }

    private sealed class State
    {
        public int[] StaleQueue { get; } = new int[Nodes];

        public double[] StaleP95 { get; } = new double[Nodes];

        public int[] InFlight { get; } = new int[Nodes];

        public long Sent { get; set; }
    }

    private sealed record Result(string Name, int P99, int[] MaxQueue);
}
