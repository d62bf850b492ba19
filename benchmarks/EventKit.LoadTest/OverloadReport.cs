using System.Globalization;
using System.Text;
using Spectre.Console;

namespace EventKit.LoadTest;

/// <summary>The report of <c>--overload</c> (T2): each phase side by side, the ratios, the ceiling, on the console and as Markdown.</summary>
internal sealed class OverloadReport(List<OverloadPhase> phases, DriverResult? ceiling, TimeSpan? ceilingCpu, Verification verification, string loadBefore, string loadAfter)
{
    public void Write()
    {
        var table = new Table().Title("[bold]Overload (T2)[/]").AddColumn("metric");
        foreach (var phase in phases)
        {
            table.AddColumn($"{phase.Label} connections");
        }

        foreach (var row in Rows())
        {
            table.AddRow(row.Select(Markup.Escape).ToArray());
        }

        AnsiConsole.Write(table);
        foreach (var (name, value) in Summary())
        {
            AnsiConsole.MarkupLine($"[bold]{Markup.Escape(name)}:[/] {Markup.Escape(value)}");
        }

        AnsiConsole.MarkupLine(verification.Holds
            ? $"[green]Verified:[/] {verification.Rows:N0} rows in PostgreSQL = {verification.Admitted:N0} distinct admitted (201) record ids, every one present."
            : $"[red]Verification failed:[/] {verification.Rows:N0} rows, {verification.Admitted:N0} admitted ids, {verification.Found:N0} of them present.");
    }

    public string ToMarkdown()
    {
        var text = new StringBuilder();
        text.Append("| metric |");
        foreach (var phase in phases)
        {
            text.Append(CultureInfo.InvariantCulture, $" {phase.Label} connections |");
        }

        text.AppendLine().Append("|---|");
        foreach (var _ in phases)
        {
            text.Append("---:|");
        }

        text.AppendLine();
        foreach (var row in Rows())
        {
            text.AppendLine("| " + string.Join(" | ", row) + " |");
        }

        text.AppendLine();
        foreach (var (name, value) in Summary())
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"- **{name}**: {value}");
        }

        text.AppendLine(CultureInfo.InvariantCulture, $"- **verification**: {(verification.Holds ? "rows = admitted, all present" : "FAILED")} ({verification.Rows:N0} rows, {verification.Admitted:N0} admitted ids)");
        return text.ToString();
    }

    private IEnumerable<string[]> Rows()
    {
        yield return Row("requests answered per second (shed included)", r => $"{r.Throughput:N0}");
        yield return Row("check-ins decided per second", r => $"{r.DecidedThroughput:N0}");
        yield return Row("admitted / duplicate / refused", r => $"{r.Count(Outcome.Admitted):N0} / {r.Count(Outcome.Duplicate):N0} / {r.Count(Outcome.UnknownCredential) + r.Count(Outcome.Inactive) + r.Count(Outcome.GateClosed) + r.Count(Outcome.BadRequest):N0}");
        yield return Row("shed: 503 overloaded / 429, with Retry-After", r => $"{r.Count(Outcome.Shed):N0} / {r.Count(Outcome.RateLimited):N0}");
        yield return Row("errors (other 5xx incl. storage 503s, other statuses, transport)", r => $"{r.Errors:N0} ({r.Count(Outcome.StorageUnavailable):N0} storage 503s)");
        yield return phases.Select(p => $"{p.PoolTimeouts:N0} ({p.Outages:N0} outages logged)").Prepend("pool timeouts in the host log").ToArray();
        yield return Row("decided latency p50 / p95 / p99", r => $"{Ms(r.DecidedLatency.Percentile(50))} / {Ms(r.DecidedLatency.Percentile(95))} / {Ms(r.DecidedLatency.Percentile(99))} ms");
        yield return Row("all answers (shed included) p50 / p99", r => $"{Ms(r.Latency.Percentile(50))} / {Ms(r.Latency.Percentile(99))} ms");
        yield return phases.Select(p => $"{p.HostCpu.TotalMicroseconds / Math.Max(1, p.Result.Requests):N0} µs per answer, {p.HostCpu.TotalMicroseconds / Math.Max(1, p.Result.DecidedLatency.Count):N0} µs per decided").Prepend("host CPU").ToArray();
    }

    private IEnumerable<(string Name, string Value)> Summary()
    {
        var first = phases[0].Result;
        var last = phases[^1].Result;
        yield return ("decided throughput ratio (target ≥ 80 %)", $"{last.DecidedThroughput / Math.Max(1e-9, first.DecidedThroughput):P1} ({phases[^1].Label} vs {phases[0].Label} connections)");
        if (ceiling is not null)
        {
            var cpu = ceilingCpu is { } c ? $", {c.TotalMicroseconds / Math.Max(1, ceiling.Requests):N0} µs CPU per request" : "";
            yield return ($"plain Kestrel ceiling at {phases[^1].Label} connections", $"{ceiling.Throughput:N0} req/s, p50 {Ms(ceiling.Latency.Percentile(50))} ms, p99 {Ms(ceiling.Latency.Percentile(99))} ms, errors {ceiling.Errors:N0}{cpu}");
            var ceilingP99 = Math.Max(0.001, ceiling.Latency.Percentile(99).TotalMilliseconds);
            yield return ("p99 / ceiling p99 (T2 target ≤ 1.5×)", $"{last.DecidedLatency.Percentile(99).TotalMilliseconds / ceilingP99:N2}× decided, {last.Latency.Percentile(99).TotalMilliseconds / ceilingP99:N2}× all answers");
        }

        yield return ("load average (1 / 5 / 15 min) before → after", $"{loadBefore} → {loadAfter}");
    }

    private string[] Row(string name, Func<DriverResult, string> value) => [name, .. phases.Select(p => value(p.Result))];

    private static string Ms(TimeSpan value) => value.TotalMilliseconds.ToString("N1", CultureInfo.InvariantCulture);
}
