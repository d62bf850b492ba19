using System.Globalization;
using System.Text;
using System.Text.Json;
using Spectre.Console;

namespace EventKit.LoadTest;

/// <summary>The end-of-run report, on the console and as Markdown for docs/performance.md.</summary>
internal sealed class Report(LoadOptions options, DriverResult result, DriverResult? ceiling, Verification verification, JsonDocument? stats, long memoryBefore, long memoryAfter, BleSimulator? ble, TimeSpan hostCpu, TimeSpan? ceilingCpu, List<long> memory, string machineCpu, string? ceilingMachineCpu)
{
    public void Write()
    {
        var table = new Table().Title("[bold]Result[/]").AddColumns("metric", "value");
        foreach (var (name, value) in Rows())
        {
            table.AddRow(Markup.Escape(name), Markup.Escape(value));
        }

        AnsiConsole.Write(table);
        AnsiConsole.MarkupLine(verification.Holds
            ? $"[green]Verified:[/] {verification.Rows:N0} QR rows in PostgreSQL = {verification.Admitted:N0} distinct admitted (201) record ids, every one present; {verification.BleRows:N0} BLE rows = {verification.BleAdmitted:N0} BLE admissions reported."
            : $"[red]Verification failed:[/] {verification.Rows:N0} QR rows, {verification.Admitted:N0} admitted ids, {verification.Found:N0} of them present; {verification.BleRows:N0} BLE rows vs {verification.BleAdmitted:N0} reported.");
    }

    public string ToMarkdown()
    {
        var text = new StringBuilder();
        text.AppendLine(CultureInfo.InvariantCulture, $"| metric | value |");
        text.AppendLine("|---|---|");
        foreach (var (name, value) in Rows())
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"| {name} | {value} |");
        }

        text.AppendLine(CultureInfo.InvariantCulture, $"| verification | {(verification.Holds ? "rows = admitted, all present" : "FAILED")} ({verification.Rows:N0} QR rows, {verification.BleRows:N0} BLE rows) |");
        return text.ToString();
    }

    /// <summary>The report as a self-contained HTML page with per-second charts of the run.</summary>
    public string ToHtml() => HtmlReport.Render($"EventKit {options.Mode} report", [.. Rows()], result.Seconds, verification.Holds);

    private IEnumerable<(string Name, string Value)> Rows()
    {
        yield return ("mode", $"{options.Mode}, {options.Connections} connections, {result.Elapsed.TotalSeconds:N0} s");
        yield return ("requests", $"{result.Requests:N0}");
        yield return ("check-ins per second", $"{result.Throughput:N0}");
        yield return ("latency p50 / p95 / p99", $"{Ms(result.Latency.Percentile(50))} / {Ms(result.Latency.Percentile(95))} / {Ms(result.Latency.Percentile(99))} ms");
        yield return ("admitted (201)", $"{result.Count(Outcome.Admitted):N0}");
        yield return ("duplicate (200)", $"{result.Count(Outcome.Duplicate):N0}");
        yield return ("unknown credential (404)", $"{result.Count(Outcome.UnknownCredential):N0}");
        yield return ("inactive participant (403)", $"{result.Count(Outcome.Inactive):N0}");
        yield return ("rate limited (429)", $"{result.Count(Outcome.RateLimited):N0}");
        yield return ("shed (503 overloaded + Retry-After)", $"{result.Count(Outcome.Shed):N0}");
        yield return ("errors (5xx, transport)", $"{result.Errors:N0} ({result.Count(Outcome.StorageUnavailable):N0} storage 503s)");
        if (stats is not null && stats.RootElement.TryGetProperty("cache", out var cache))
        {
            yield return ("cache hit ratio L1 / L2 / overall", $"{Ratio(cache, "l1")} / {Ratio(cache, "l2")} / {Ratio(cache, "overall")}");
        }

        if (ble is not null)
        {
            yield return ("BLE gateways", $"{ble.Reports:N0} reports ({ble.FailedReports:N0} failed), {ble.Sightings:N0} sightings, {ble.Resolved:N0} resolved, {ble.Rejected:N0} rejected");
            yield return ("BLE admissions", $"{ble.Admitted:N0} of {ble.Phones:N0} phones walking up to a gate");
        }

        yield return ("host CPU per request", $"{hostCpu.TotalMicroseconds / Math.Max(1, result.Requests):N0} µs ({hostCpu.TotalSeconds:N1} CPU-s over the run)");
        yield return ("CPU per request by process (/proc)", machineCpu);
        if (memory.Count >= 4)
        {
            // Growth: the mean of the last quarter of samples against the mean of the second quarter (after warm-up).
            var quarter = memory.Count / 4;
            var early = memory.Skip(quarter).Take(quarter).Average();
            var late = memory.Skip(memory.Count - quarter).Average();
            yield return ("host working set during the run (5 s samples)", $"max {memory.Max() / 1048576.0:N0} MiB; 2nd quarter {early / 1048576.0:N0} MiB → last quarter {late / 1048576.0:N0} MiB ({(late - early) / early:+0.0 %;-0.0 %})");
        }

        yield return ("host working set before / after", $"{memoryBefore / 1048576.0:N0} / {memoryAfter / 1048576.0:N0} MiB");
        if (ceiling is not null)
        {
            yield return ("plain Kestrel ceiling", $"{ceiling.Throughput:N0} req/s, p99 {Ms(ceiling.Latency.Percentile(99))} ms, errors {ceiling.Errors:N0}");
            if (ceilingCpu is { } cpu)
            {
                yield return ("ceiling CPU per request", $"{cpu.TotalMicroseconds / Math.Max(1, ceiling.Requests):N0} µs");
            }

            if (ceilingMachineCpu is not null)
            {
                yield return ("ceiling CPU per request by process (/proc; host = the ceiling)", ceilingMachineCpu);
            }

            yield return ("check-ins / ceiling (T1 ≥ 35 %)", $"{result.Throughput / ceiling.Throughput:P1}");
            yield return ("p99 / ceiling p99", $"{result.Latency.Percentile(99).TotalMilliseconds / Math.Max(0.001, ceiling.Latency.Percentile(99).TotalMilliseconds):N2}×");
        }
    }

    private static string Ms(TimeSpan value) => value.TotalMilliseconds.ToString("N2", CultureInfo.InvariantCulture);

    private static string Ratio(JsonElement cache, string tier)
        => cache.TryGetProperty(tier, out var t) && t.TryGetProperty("hitRatio", out var r) && r.ValueKind == JsonValueKind.Number
            ? r.GetDouble().ToString("P1", CultureInfo.InvariantCulture)
            : "n/a";
}
