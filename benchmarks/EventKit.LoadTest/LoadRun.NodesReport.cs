using System.Diagnostics;
using Spectre.Console;
using System.Globalization;

namespace EventKit.LoadTest;

/// <summary>
/// The multi-node demo's additions: the <c>--autoscale</c> executor (a webhook the leader's autoscaler calls, starting
/// and stopping a local node), and the report rows for L1 propagation, BLE reports by gate owner, the leader, and the
/// autoscaler's recorded curve.
/// </summary>
internal sealed partial class LoadRun
{
    /// <summary>Short autoscaler windows so that a scale-up and a scale-down fit in a 60–90 s run.</summary>
    private Dictionary<string, string> AutoscaleSettings(Uri webhook) => new()
    {
        ["EventKit__Sample__ScaleExecutorUrl"] = webhook.ToString(),
        ["EventKit__Scaling__MinReplicas"] = options.Nodes.ToString(CultureInfo.InvariantCulture),
        ["EventKit__Scaling__MaxReplicas"] = (options.Nodes + 1).ToString(CultureInfo.InvariantCulture),
        ["EventKit__Scaling__EvaluationInterval"] = "00:00:02",
        ["EventKit__Scaling__ScaleUpPeriod"] = "00:00:10",
        ["EventKit__Scaling__ScaleDownPeriod"] = "00:00:10",
        ["EventKit__Scaling__ScaleDownStabilizationWindow"] = "00:00:20",
        // Targets a demo on a shared 2-core machine reaches: a node's CPU is its share of the machine (3 hosts, the
        // gateway, PostgreSQL and Redis share 2 cores, so ~0.1 each under the wave), and requests in flight per node at
        // a heartbeat. The p95 of the last 1,024 requests would stay high after the wave (nothing replaces them): off.
        ["EventKit__Scaling__TargetCpuUtilization"] = "0.1",
        ["EventKit__Scaling__TargetInFlightPerNode"] = "2",
        ["EventKit__Scaling__TargetP95Milliseconds"] = "0",
    };

    private async Task<ScaleWebhook> StartScaleWebhookAsync(
        string repoRoot,
        Dictionary<string, string> nodeEnvironment,
        string scalingPrefix,
        List<SampleHostProcess> extras,
        List<(string Id, Uri Address)> running,
        Lock runningLock,
        ClusterWatcher watcher,
        CancellationToken cancellationToken)
    {
        var scaler = new LocalNodeScaler(options.Nodes, options.Nodes + 1);
        var webhook = await ScaleWebhook.StartAsync(
            options.Port + 19,
            scaler,
            async token =>
            {
                int index;
                lock (runningLock)
                {
                    index = options.Nodes + extras.Count + 1;
                }

                var started = Stopwatch.StartNew();
                using var linked = CancellationTokenSource.CreateLinkedTokenSource(token, cancellationToken);
                var node = await StartNodeAsync(repoRoot, nodeEnvironment, scalingPrefix, index, linked.Token).ConfigureAwait(false);
                var id = $"node-{index}";
                lock (runningLock)
                {
                    extras.Add(node);
                    running.Add((id, node.BaseAddress));
                }

                watcher.Add(id, node.BaseAddress);
                Console.WriteLine($"  autoscaler: {id} up at {node.BaseAddress} (pid {node.ProcessId}) after {started.Elapsed.TotalSeconds:N1} s");
                return $"{id} up: answered /health/live {started.Elapsed.TotalSeconds:N1} s after the request";
            },
            async _ =>
            {
                SampleHostProcess node;
                lock (runningLock)
                {
                    if (extras.Count == 0)
                    {
                        return "nothing to stop";
                    }

                    node = extras[^1];
                    extras.RemoveAt(extras.Count - 1);
                    running.RemoveAll(n => n.Address == node.BaseAddress);
                }

                var id = $"node-{node.BaseAddress.Port - options.Port}";
                watcher.Remove(id);
                var stopping = Stopwatch.StartNew();
                await node.DisposeAsync().ConfigureAwait(false);
                Console.WriteLine($"  autoscaler: {id} stopped after {stopping.Elapsed.TotalSeconds:N1} s");
                return $"{id} stopped: SIGTERM, drained and gone in {stopping.Elapsed.TotalSeconds:N1} s";
            }).ConfigureAwait(false);
        AnsiConsole.MarkupLine($"Scale executor webhook at {webhook.Url} (the leader's autoscaler posts there; nodes {options.Nodes}..{options.Nodes + 1}).");
        return webhook;
    }

    /// <summary>After the wave: waits (idle) until the extra node was started and stopped again, at most 60 s (15 s if it never started).</summary>
    private static async Task WaitForScaleDownAsync(ScaleWebhook webhook, List<SampleHostProcess> extras, Lock runningLock, CancellationToken cancellationToken)
    {
        var waiting = Stopwatch.StartNew();
        var lastPrint = TimeSpan.Zero;
        while (waiting.Elapsed < TimeSpan.FromSeconds(60))
        {
            var events = webhook.Events;
            var up = events.Any(static e => e.Decision.Contains(" up:", StringComparison.Ordinal));
            var stopped = events.Any(static e => e.Decision.Contains(" stopped:", StringComparison.Ordinal));
            int count;
            lock (runningLock)
            {
                count = extras.Count;
            }

            if ((up && stopped && count == 0) || (!up && waiting.Elapsed > TimeSpan.FromSeconds(15)))
            {
                return;
            }

            if (waiting.Elapsed - lastPrint >= TimeSpan.FromSeconds(5))
            {
                lastPrint = waiting.Elapsed;
                Console.WriteLine($"  idle after the wave: {waiting.Elapsed.TotalSeconds,3:N0} s, extra nodes running {count}");
            }

            await Task.Delay(250, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>The index (0-based) of the node that answered <c>leader: true</c> last, if any of the first <paramref name="count"/>.</summary>
    private static int? LeaderIndex(IReadOnlyList<ClusterSample> samples, int count)
    {
        for (var i = samples.Count - 1; i >= 0; i--)
        {
            if (samples[i].Leader && samples[i].NodeId.StartsWith("node-", StringComparison.Ordinal)
                && int.TryParse(samples[i].NodeId.AsSpan(5), NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n >= 1 && n <= count)
            {
                return n - 1;
            }
        }

        return null;
    }

    /// <summary>When every survivor's list had lost <paramref name="victim"/>: the latest of each survivor's first such answer.</summary>
    private static long? RegistryDropped(IReadOnlyList<ClusterSample> samples, string victim, long killedAt)
    {
        var firsts = samples
            .Where(s => s.Timestamp > killedAt && s.NodeId != victim)
            .GroupBy(static s => s.NodeId)
            .Select(g => g.Where(s => !s.LiveNodes.Contains(victim)).Select(static s => (long?)s.Timestamp).FirstOrDefault())
            .ToList();
        return firsts.Count == 0 || firsts.Any(static f => f is null) ? null : firsts.Max();
    }

    /// <summary>Lines of the nodes' logs with L2 (Redis) timeouts and circuit openings (events 4001, 4002): what slows invalidation.</summary>
    private static string RedisTrouble(IEnumerable<SampleHostProcess> nodes)
    {
        long failed = 0, opened = 0;
        foreach (var node in nodes)
        {
            try
            {
                foreach (var line in File.ReadLines(node.LogPath))
                {
                    failed += line.Contains("DefaultHybridCache[4001]", StringComparison.Ordinal) ? 1 : 0;
                    opened += line.Contains("DefaultHybridCache[4002]", StringComparison.Ordinal) ? 1 : 0;
                }
            }
            catch (IOException)
            {
            }
        }

        return $"{failed:N0} L2 calls failed (event 4001), L2 circuit opened {opened:N0} times (event 4002)";
    }

    private static IEnumerable<(string, string)> PropagationRows(string phase, PropagationProbe probe)
    {
        yield return ($"L1 invalidation {phase}: status changes through one node directly, read back on every other node directly", $"{probe.Changes:N0} changes, {probe.Timeouts:N0} reads still stale after 10 s, {probe.Skipped:N0} rounds skipped (a node did not answer)");
        yield return ($"L1 propagation {phase}, change answered on node A → node B/C/… reads the new status", probe.FromAnswer.Text);
        yield return ($"L1 propagation {phase}, change sent to node A → node B/C/… reads the new status", probe.FromRequest.Text);
    }

    private static IEnumerable<(string, string)> BleRows(BleSimulator? ble, Verification verification, BleReport[] reports, long[] gates, int nodes, string? victim, long killedAt, IReadOnlyList<ClusterSample> samples)
    {
        if (ble is null)
        {
            yield return ("BLE", "off (--ble-phones 0)");
            yield break;
        }

        yield return ("BLE reports posted through the gateway (answered / failed)", $"{ble.Reports - ble.FailedReports:N0} / {ble.FailedReports:N0}");
        yield return ("BLE sightings / resolved / admissions (from reports through the gateway)", $"{ble.Sightings:N0} / {ble.Resolved:N0} / {ble.Admitted:N0}");
        yield return ("BLE rows in PostgreSQL / admissions answered", $"{verification.BleRows:N0} / {verification.BleAdmitted:N0}");
        var all = Enumerable.Range(1, nodes).Select(static i => $"node-{i}").ToArray();
        if (victim is null)
        {
            // No kill: the owners are those of the demo's nodes until the autoscaler's node joined.
            var joined = samples.Where(s => s.LiveNodes.Length > nodes).Select(static s => (long?)s.Timestamp).FirstOrDefault() ?? long.MaxValue;
            var steady = BleOwnership.Check(reports.Where(r => r.Timestamp < joined), gates, all, all, long.MaxValue, long.MaxValue);
            yield return ($"BLE reports processed by the gate's owner (over {nodes} nodes, before any other joined)", $"{steady.BeforeByOwner:N0} of {steady.Before:N0}");
            yield return ("BLE reports the receiving node passed to the owner (X-EventKit-Processed-By ≠ X-EventKit-Node)", $"{reports.Count(static r => r.ProcessedBy is not null && r.ReceivedBy is not null && r.ProcessedBy != r.ReceivedBy):N0} of {reports.Length:N0}");
            yield break;
        }

        var survivors = all.Where(n => n != victim).ToArray();
        var dropped = RegistryDropped(samples, victim, killedAt);
        var settled = dropped ?? killedAt + (3 * Stopwatch.Frequency);
        var check = BleOwnership.Check(reports, gates, all, survivors, killedAt, settled);
        yield return ("BLE reports processed by the gate's owner, before the kill", $"{check.BeforeByOwner:N0} of {check.Before:N0}");
        yield return ($"BLE reports between the kill and the registry dropping {victim} (+{Stopwatch.GetElapsedTime(killedAt, settled).TotalSeconds:N2} s{(dropped is null ? ", not seen: 3 s assumed" : "")})", $"{check.During:N0} answered (a node processes a report itself while the gate's owner is unreachable)");
        yield return ("BLE reports processed by the gate's new owner, after", $"{check.AfterByOwner:N0} of {check.After:N0}");
        yield return ("BLE reports the receiving node passed to the owner (X-EventKit-Processed-By ≠ X-EventKit-Node)", $"{check.Forwarded:N0} of {reports.Length:N0}");
        yield return ($"gates owned by {victim} → new owner (rendezvous; node seen processing after)", check.Moved.Count == 0
            ? "none"
            : string.Join(", ", check.Moved.Select(static m => $"gate {m.Gate} → {m.To} ({m.ObservedAfter ?? "no report seen"})")));
    }

    private static IEnumerable<(string, string)> LeaderRows(IReadOnlyList<ClusterSample> samples, string? victim, long killedAt, DateTimeOffset killWall, int nodes)
    {
        var leaders = samples.Where(static s => s.Leader).ToList();
        if (leaders.Count == 0)
        {
            yield return ("leader", "no node answered leader: true");
            yield break;
        }

        // Leadership changes in the order the polls saw them (GET /eventkit/scaling on each node every 250 ms).
        var changes = new List<string>();
        string? last = null;
        foreach (var sample in leaders)
        {
            if (sample.NodeId != last)
            {
                changes.Add(last is null ? sample.NodeId : $"{sample.NodeId} (from {(killedAt == 0 ? "start" : $"{Stopwatch.GetElapsedTime(killedAt, sample.Timestamp).TotalSeconds:+0.00;-0.00} s after the kill")})");
                last = sample.NodeId;
            }
        }

        yield return ("leader (GET /eventkit/scaling on every node, every 250 ms)", string.Join(" → ", changes));
        var overlap = samples.GroupBy(static s => s.Timestamp / (Stopwatch.Frequency / 4)).Count(g => g.Where(static s => s.Leader).Select(static s => s.NodeId).Distinct().Count() > 1);
        yield return ("polling rounds with two nodes answering leader: true", $"{overlap:N0}");
        if (victim is null)
        {
            yield break;
        }

        var before = leaders.LastOrDefault(s => s.Timestamp < killedAt)?.NodeId;
        yield return ("leader at the kill / killed node", $"{before ?? "unknown"} / {victim}{(before == victim ? " (the leader was killed)" : "")}");
        if (before == victim)
        {
            var next = leaders.FirstOrDefault(s => s.Timestamp > killedAt && s.NodeId != victim);
            yield return ("new leader (first answer leader: true after the kill; lease 5 s)", next is null ? "none seen" : $"{next.NodeId} at +{Stopwatch.GetElapsedTime(killedAt, next.Timestamp).TotalSeconds:N2} s");
            var acted = samples.Where(s => s.EvaluatedAt is { } at && at > killWall).Select(static s => s.EvaluatedAt).Min();
            yield return ("new leader's first evaluation published (EvaluationInterval)", acted is { } a ? $"+{(a - killWall).TotalSeconds:N2} s" : "none seen before the end");
        }

        var dropped = RegistryDropped(samples, victim, killedAt);
        yield return ($"every survivor's node list without {victim}", dropped is { } d ? $"+{Stopwatch.GetElapsedTime(killedAt, d).TotalSeconds:N2} s" : "not seen");
    }

    /// <summary>The autoscaler's evaluations (as node-1 served them) where current, desired or the reason changed, and the executor's requests and actions.</summary>
    private List<string[]> AutoscaleCurve(IReadOnlyList<ClusterSample> samples, IReadOnlyList<ScaleEvent> events, long waveStarted)
    {
        var rows = new List<(long At, string[] Row)>();
        DateTimeOffset? lastEvaluation = null;
        (int?, int?, string?) lastShown = default;
        var lastRow = long.MinValue / 2;
        foreach (var sample in samples.Where(static s => s.NodeId == "node-1" && s.EvaluatedAt is not null))
        {
            if (sample.EvaluatedAt == lastEvaluation)
            {
                continue;
            }

            lastEvaluation = sample.EvaluatedAt;
            var key = (sample.Current, sample.Desired, sample.Reason);
            // Every change, and one evaluation per 5 s besides, so that the load itself shows; nothing from start-up.
            if (sample.Timestamp < waveStarted - (10 * Stopwatch.Frequency)
                || (key == lastShown && sample.Timestamp - lastRow < 5 * Stopwatch.Frequency))
            {
                continue;
            }

            lastShown = key;
            lastRow = sample.Timestamp;
            rows.Add((sample.Timestamp, [
                Seconds(sample.Timestamp),
                sample.LiveNodes.Length.ToString(CultureInfo.InvariantCulture),
                sample.InFlightPerNode.ToString("N1", CultureInfo.InvariantCulture),
                sample.CpuPerNode.ToString("N2", CultureInfo.InvariantCulture),
                $"{sample.Current}",
                $"{sample.Desired}",
                sample.Reason ?? "",
            ]));
        }

        foreach (var e in events.Where(e => e.Timestamp >= waveStarted - (10 * Stopwatch.Frequency)))
        {
            var text = e.FromNode is null
                ? $"executor: {e.Decision}"
                : $"executor ← {e.FromNode} (token {e.FencingToken}): {e.Current} → {e.Desired}: {e.Decision}";
            rows.Add((e.Timestamp, [Seconds(e.Timestamp), "", "", "", e.Current?.ToString(CultureInfo.InvariantCulture) ?? "", e.Desired?.ToString(CultureInfo.InvariantCulture) ?? "", text]));
        }

        var waveEnds = waveStarted + (long)(options.Duration.TotalSeconds * Stopwatch.Frequency);
        rows.Add((waveEnds, [Seconds(waveEnds), "", "", "", "", "", "the wave ends (idle from here)"]));
        return [.. rows.OrderBy(static r => r.At).Select(static r => r.Row)];

        string Seconds(long at) => ((at - waveStarted) / (double)Stopwatch.Frequency).ToString("N1", CultureInfo.InvariantCulture);
    }
}
