using System.Globalization;
using System.Text;
using Spectre.Console;

namespace EventKit.LoadTest;

/// <summary>
/// <c>--monitoring-ab</c>: what <c>AddMonitoring()</c> costs in check-in throughput (issue 13: ≤ 3 %). Two sample hosts on
/// the same database, Redis and participants, one without monitoring (A, <see cref="LoadOptions.Port"/>) and one with it
/// (B, the port + 20), are driven one at a time in A B B A blocks (eight phases by default, <c>--ab-phases</c>) after a warm-up of each, so a drift of
/// the machine (other work, a growing table, a warming cache) falls on both alike.
/// </summary>
internal sealed partial class LoadRun
{
    private async Task<int> RunMonitoringAbAsync(string repoRoot, SampleHostProcess off, Dictionary<string, string> environment, string database, SeededParticipants seeded, long[] gates, string scannerKey, CancellationToken cancellationToken)
    {
        var onEnvironment = new Dictionary<string, string>(environment) { ["EventKit__Sample__Monitoring"] = "true" };
        await using var on = await SampleHostProcess.StartAsync(repoRoot, options.Port + 20, onEnvironment, cancellationToken).ConfigureAwait(false);
        AnsiConsole.MarkupLine($"Monitoring on: [link]{on.BaseAddress}[/] (pid {on.ProcessId}); off: {off.BaseAddress} (pid {off.ProcessId}).");

        var phase = options.Duration / options.AbPhases;
        // Tiered JIT and pools settle in the first tens of seconds of a host's load: a first run with a 10 s warm-up
        // still had the monitoring host's first phase at twice the CPU per check-in of its later ones.
        var warmUp = WarmUp(phase);
        var loadBefore = LoadAverage();
        var admitted = new List<Guid>();
        foreach (var (host, name) in new[] { (off, "off"), (on, "on") })
        {
            var result = await DrivePhaseAsync(host, warmUp, seeded, gates, scannerKey, admitted, cancellationToken).ConfigureAwait(false);
            Console.WriteLine($"  warm-up monitoring {name}: {result.Result.DecidedThroughput:N0} check-ins/s");
        }

        var phases = new List<(bool On, DriverResult Result, TimeSpan Cpu)>();
        for (var i = 0; i < options.AbPhases; i++)
        {
            // A B B A A B B A: every pair of neighbouring rounds cancels a linear drift.
            var monitoring = i % 4 is 1 or 2;
            var (result, cpu) = await DrivePhaseAsync(monitoring ? on : off, phase, seeded, gates, scannerKey, admitted, cancellationToken).ConfigureAwait(false);
            phases.Add((monitoring, result, cpu));
            Console.WriteLine($"  phase {i + 1}/{options.AbPhases} monitoring {(monitoring ? "on " : "off")}: {result.DecidedThroughput,8:N0} check-ins/s, host CPU {cpu.TotalMicroseconds / Math.Max(1, result.DecidedLatency.Count),5:N0} µs per check-in, errors {result.Errors:N0}");
        }

        var verification = await Verifier.VerifyAsync(database, admitted.Distinct().ToArray(), 0, cancellationToken).ConfigureAwait(false);
        var rows = MonitoringAbRows(phases, phase, loadBefore, LoadAverage(), verification);
        var table = new Table().Title("[bold]Monitoring on / off[/]").AddColumns("metric", "value");
        foreach (var (name, value) in rows)
        {
            table.AddRow(Markup.Escape(name), Markup.Escape(value));
        }

        AnsiConsole.Write(table);
        if (options.Output is { } output)
        {
            var text = new StringBuilder("| metric | value |\n|---|---|\n");
            foreach (var (name, value) in rows)
            {
                text.Append(CultureInfo.InvariantCulture, $"| {name} | {value} |\n");
            }

            await File.WriteAllTextAsync(output, text.ToString(), cancellationToken).ConfigureAwait(false);
            AnsiConsole.MarkupLine($"Report written to {Markup.Escape(output)}");
        }

        return verification.Holds && phases.TrueForAll(p => p.Result.Errors == 0) ? 0 : 1;
    }

    internal static double Median(double[] values)
    {
        var sorted = values.Order().ToArray();
        return sorted.Length == 0 ? double.NaN : sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[(sorted.Length / 2) - 1] + sorted[sorted.Length / 2]) / 2;
    }

    private static TimeSpan WarmUp(TimeSpan phase) => phase > TimeSpan.FromSeconds(30) ? phase : TimeSpan.FromSeconds(30);

    private async Task<(DriverResult Result, TimeSpan Cpu)> DrivePhaseAsync(SampleHostProcess host, TimeSpan duration, SeededParticipants seeded, long[] gates, string scannerKey, List<Guid> admitted, CancellationToken cancellationToken)
    {
        var driver = new Driver(host.BaseAddress, "api/v1/checkins", options.Connections, Scenario(seeded, gates), scannerKey);
        var cpu = host.ProcessorTime();
        var result = await driver.RunAsync(duration, null, cancellationToken).ConfigureAwait(false);
        var used = host.ProcessorTime() - cpu;
        admitted.AddRange(driver.AdmittedRecordIds);
        return (result, used);
    }

    private List<(string Name, string Value)> MonitoringAbRows(List<(bool On, DriverResult Result, TimeSpan Cpu)> phases, TimeSpan phase, string loadBefore, string loadAfter, Verification verification)
    {
        static (double Rate, double CpuMicros) Sum(IEnumerable<(bool On, DriverResult Result, TimeSpan Cpu)> selected)
        {
            long decided = 0;
            double seconds = 0, cpu = 0;
            foreach (var (_, result, used) in selected)
            {
                decided += result.DecidedLatency.Count;
                seconds += result.Elapsed.TotalSeconds;
                cpu += used.TotalMicroseconds;
            }

            return (decided / Math.Max(0.001, seconds), cpu / Math.Max(1, decided));
        }

        var off = Sum(phases.Where(p => !p.On));
        var on = Sum(phases.Where(p => p.On));
        // Each A B B A block on its own: the spread of the ratio within the run.
        var blockRatios = Enumerable.Range(0, phases.Count / 4)
            .Select(b => Sum(phases.Skip(b * 4).Take(4).Where(p => p.On)).Rate / Sum(phases.Skip(b * 4).Take(4).Where(p => !p.On)).Rate)
            .ToArray();
        var offLatency = new LatencyHistogram();
        var onLatency = new LatencyHistogram();
        foreach (var (isOn, result, _) in phases)
        {
            (isOn ? onLatency : offLatency).Add(result.DecidedLatency);
        }

        static string Ms(LatencyHistogram h) => $"{h.Percentile(50).TotalMilliseconds:N2} / {h.Percentile(95).TotalMilliseconds:N2} / {h.Percentile(99).TotalMilliseconds:N2} ms";
        return
        [
            ("run", $"{options.Connections} connections, {phases.Count} phases of {phase.TotalSeconds:N0} s (A B B A blocks) after a {WarmUp(phase).TotalSeconds:N0} s warm-up of each host; load average before {loadBefore}, after {loadAfter}"),
            ("check-ins/s, monitoring off (A)", $"{off.Rate:N0}"),
            ("check-ins/s, monitoring on (B)", $"{on.Rate:N0}"),
            ("throughput ratio on / off (target ≥ 0.97)", $"{on.Rate / off.Rate:0.000} (per A B B A block: {string.Join(", ", blockRatios.Select(r => r.ToString("0.000", CultureInfo.InvariantCulture)))})"),
            ("median of the blocks' ratios", $"{Median(blockRatios):0.000} (a step in the machine's speed moves one block, not the median)"),
            ("host CPU per check-in, off / on", $"{off.CpuMicros:N0} / {on.CpuMicros:N0} µs (on / off {on.CpuMicros / off.CpuMicros:0.000})"),
            ("latency p50 / p95 / p99, off", Ms(offLatency)),
            ("latency p50 / p95 / p99, on", Ms(onLatency)),
            ("errors (all phases)", $"{phases.Sum(p => p.Result.Errors):N0}"),
            ("verification", verification.Holds ? $"rows = admitted, all present ({verification.Rows:N0} rows)" : "FAILED"),
        ];
    }
}
