using System.Net.Http.Json;
using Spectre.Console;

namespace EventKit.LoadTest;

/// <summary>
/// <c>./eventkit loadtest --claims both</c>: T1 with today's Redis claims and with the gate-owned fast path in one run —
/// a pass of each on one sample host (fresh database each), then the plain Kestrel ceiling once — and both ratios and
/// CPU costs per check-in side by side.
/// </summary>
internal sealed partial class LoadRun
{
    private readonly List<ClaimsPass> _passes = [];
    private bool _skipPassCeiling;

    private async Task<int> RunBothClaimsAsync(CancellationToken cancellationToken)
    {
        var exit = 0;
        foreach (var claims in new[] { "redis", "gate-owned" })
        {
            options.Claims = claims;
            _skipPassCeiling = claims == "redis";
            AnsiConsole.Write(new Rule($"[bold]claims: {claims}[/]").LeftJustified());
            exit |= await RunPassAsync(cancellationToken).ConfigureAwait(false);
        }

        options.Claims = "both";
        var ceiling = _passes[^1].Ceiling;
        var table = new Table().AddColumns("claims", "check-ins/s", "decided/s", "of the ceiling", "host CPU per check-in", "verified");
        foreach (var pass in _passes)
        {
            table.AddRow(
                pass.Claims,
                $"{pass.Result.Throughput:N0}",
                $"{pass.Result.DecidedThroughput:N0}",
                ceiling is null ? "–" : $"{pass.Result.Throughput / ceiling.Throughput:P1}",
                $"{pass.HostCpu.TotalMicroseconds / Math.Max(1, pass.Result.Requests):N0} µs",
                pass.Holds ? "yes" : "NO");
        }

        AnsiConsole.Write(new Rule("[bold]T1: Redis claims against the gate-owned fast path[/]").LeftJustified());
        AnsiConsole.Write(table);
        if (ceiling is not null)
        {
            AnsiConsole.MarkupLine($"Plain Kestrel ceiling: {ceiling.Throughput:N0} req/s.");
        }

        return exit;
    }

    /// <summary>
    /// The gate-owned pass: one check-in per gate takes each gate's lease (an unknown credential: nothing is admitted),
    /// then one re-entry window passes, during which PostgreSQL would decide the gate's admissions — the measured drive
    /// starts when the node decides from memory.
    /// </summary>
    /// <param name="host">The host, or the gateway in front of several.</param>
    /// <param name="gates">The run's gates.</param>
    /// <param name="scannerKey">A scanner key allowed at every gate.</param>
    /// <param name="byGatePath">Post to each gate's path (through a gateway: to the gate's owner) rather than <c>api/v1/checkins</c>.</param>
    /// <param name="cancellationToken">Cancels the wait.</param>
    private static async Task TakeGatesAsync(Uri host, long[] gates, string scannerKey, bool byGatePath, CancellationToken cancellationToken)
    {
        using var client = new HttpClient { BaseAddress = host };
        client.DefaultRequestHeaders.Add("X-Scanner-Key", scannerKey);
        foreach (var gate in gates)
        {
            for (var attempt = 0; attempt < 50; attempt++)
            {
                using var response = await client.PostAsJsonAsync(byGatePath ? GateCheckInPath(gate) : "api/v1/checkins", new { gateId = gate, credential = "lease-warm-up-unknown-credential", method = "qr" }, cancellationToken).ConfigureAwait(false);
                // 503: the lease is not taken yet (ownership settling, or the owner passed on to is starting up); again.
                if (response.StatusCode != System.Net.HttpStatusCode.ServiceUnavailable)
                {
                    break;
                }

                await Task.Delay(TimeSpan.FromMilliseconds(200), cancellationToken).ConfigureAwait(false);
            }
        }

        var window = TimeSpan.FromSeconds(62);
        AnsiConsole.MarkupLine($"Gate-owned: {gates.Length} gate leases taken; waiting one re-entry window ({window.TotalSeconds:N0} s) before the drive.");
        await Task.Delay(window, cancellationToken).ConfigureAwait(false);
    }

    private sealed record ClaimsPass(string Claims, DriverResult Result, TimeSpan HostCpu, DriverResult? Ceiling, bool Holds);
}
