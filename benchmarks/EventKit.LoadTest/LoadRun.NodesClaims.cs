using System.Globalization;
using System.Security.Cryptography;
using Spectre.Console;

namespace EventKit.LoadTest;

/// <summary>
/// <c>./eventkit loadtest --nodes 3 --claims both</c>: T1 on N sample hosts behind the YARP gateway sample, a pass with
/// today's shared Redis claims (scanners post to <c>/api/v1/checkins</c>, balanced by the gateway) and one with the
/// gate-owned fast path (scanners post to <c>/api/v1/gates/{gateId}/checkins</c>, routed by the gateway to the gate's
/// owner), each on a fresh database with fresh nodes and gateway; then the plain Kestrel ceiling once.
/// </summary>
internal sealed partial class LoadRun
{
    private async Task<int> RunNodesClaimsAsync(CancellationToken cancellationToken)
    {
        string[] paths = options.Claims == "both" ? ["redis", "gate-owned"] : [options.Claims];
        AnsiConsole.Write(new Rule($"[bold]EventKit load: T1 on {options.Nodes} nodes through the YARP gateway[/]").LeftJustified());
        AnsiConsole.MarkupLine($"{options.Participants:N0} participants, {options.Gates} gates, {options.Connections} connections, {options.Warmup.TotalSeconds:N0} s warm-up, {options.Duration.TotalSeconds:N0} s per pass; claims: {string.Join(", then ", paths)}");

        var passes = new List<NodesClaimsPass>();
        foreach (var claims in paths)
        {
            AnsiConsole.Write(new Rule($"[bold]claims: {claims}, {options.Nodes} nodes[/]").LeftJustified());
            passes.Add(await RunNodesClaimsPassAsync(claims, cancellationToken).ConfigureAwait(false));
        }

        DriverResult? ceiling = null;
        if (!options.SkipCeiling)
        {
            var last = passes[^1];
            ceiling = await RunCeilingAsync(last.Seeded, last.Gates, RedisPort(Servers().Redis), cancellationToken).ConfigureAwait(false);
        }

        var rows = passes.Select(p => NodesClaimsRow(p, ceiling)).ToList();

        // On the console one column per pass (eleven columns do not fit a terminal); the Markdown has one row per pass.
        var table = new Table().Title($"[bold]T1 on {options.Nodes} nodes through the YARP gateway[/]").AddColumn("");
        foreach (var row in rows)
        {
            table.AddColumn(Markup.Escape(row[0]));
        }

        for (var column = 1; column < NodesClaimsColumns.Length; column++)
        {
            table.AddRow([Markup.Escape(NodesClaimsColumns[column]), .. rows.Select(r => Markup.Escape(r[column]))]);
        }

        AnsiConsole.Write(table);
        var ceilingText = ceiling is null
            ? "Plain Kestrel ceiling: not run (--no-ceiling)."
            : $"Plain Kestrel ceiling (one process, no gateway, the same bodies and connections): {ceiling.Throughput:N0} req/s, p99 {ceiling.Latency.Percentile(99).TotalMilliseconds:N1} ms.";
        AnsiConsole.MarkupLine(Markup.Escape(ceilingText));
        foreach (var pass in passes)
        {
            AnsiConsole.MarkupLine(Markup.Escape($"{pass.Claims}: answers per node {NodeSplitText(pass.NodeSplit)}; {pass.Verification.Admitted:N0} admitted (201), {pass.Verification.Found:N0} with their row, {pass.Verification.Rows:N0} rows; shed (503 overloaded or 429, with Retry-After) {pass.Result.Shed:N0}; final errors {pass.Result.Errors:N0}{(pass.ErrorStatuses.Length > 0 ? $" ({pass.ErrorStatuses})" : "")}."));
        }

        if (options.Output is { } output)
        {
            var markdown = $"| {string.Join(" | ", NodesClaimsColumns)} |\n|---|---:|---|---:|---:|---:|---:|---:|---:|---:|---|---:|\n"
                + string.Concat(rows.Select(static r => "| " + string.Join(" | ", r) + " |\n"))
                + "\n" + ceilingText + "\n";
            await File.WriteAllTextAsync(output, markdown, cancellationToken).ConfigureAwait(false);
            AnsiConsole.MarkupLine($"Report written to {Markup.Escape(output)}");
        }

        return passes.All(static p => p.Holds) ? 0 : 1;
    }

    private static readonly string[] NodesClaimsColumns =
    [
        "claims", "nodes", "scanners post to", "check-ins/s", "of the ceiling", "p50 / p99", "hosts' CPU per check-in",
        "gateway CPU per check-in", "decided where received", "decided by PostgreSQL", "verified", "duplicates",
    ];

    private string[] NodesClaimsRow(NodesClaimsPass pass, DriverResult? ceiling)
    {
        var requests = Math.Max(1, pass.Result.Requests);
        var (here, passedOn) = pass.OwnerSplit;
        return
        [
            pass.Claims == "gate-owned" ? "gate-owned fast path" : "Redis (shared claims)",
            options.Nodes.ToString(CultureInfo.InvariantCulture),
            pass.Claims == "gate-owned" ? "/api/v1/gates/{gateId}/checkins" : "/api/v1/checkins",
            $"{pass.Result.Throughput:N0}",
            ceiling is null ? "–" : $"{pass.Result.Throughput / ceiling.Throughput:P1}",
            $"{pass.Result.Latency.Percentile(50).TotalMilliseconds:N1} / {pass.Result.Latency.Percentile(99).TotalMilliseconds:N1} ms",
            $"{pass.HostsCpu.TotalMicroseconds / requests:N0} µs",
            $"{pass.GatewayCpu.TotalMicroseconds / requests:N0} µs",
            here + passedOn == 0 ? "–" : $"{here / (double)(here + passedOn):P1}",
            $"{pass.DegradedDecisions:N0} ({pass.DegradedDecisions / (double)requests:P1})",
            pass.Verification.Holds ? "yes" : "NO",
            pass.Duplicates.ToString("N0", CultureInfo.InvariantCulture),
        ];
    }

    private static string NodeSplitText(Dictionary<string, long> split)
    {
        var total = Math.Max(1, split.Values.Sum());
        return split.Count == 0 ? "none named" : string.Join(", ", split.OrderBy(static p => p.Key, StringComparer.Ordinal).Select(p => $"{p.Key} {p.Value / (double)total:P0}"));
    }

    /// <summary>
    /// The nodes' <c>degradedDecisions</c> (<c>GET /sample/stats</c>): admissions PostgreSQL decided under the passage lock
    /// because the claims could not vouch (with the gate-owned fast path: not decided from the owner's memory).
    /// </summary>
    private static async Task<long> DegradedDecisionsAsync(IEnumerable<SampleHostProcess> hosts, string adminKey, CancellationToken cancellationToken)
    {
        long total = 0;
        foreach (var host in hosts)
        {
            using var admin = new HttpClient { BaseAddress = host.BaseAddress, Timeout = TimeSpan.FromSeconds(30) };
            admin.DefaultRequestHeaders.Add("X-Admin-Key", adminKey);
            using var stats = await ReadStatsAsync(admin, cancellationToken).ConfigureAwait(false)
                ?? throw new InvalidOperationException($"{host.BaseAddress}sample/stats did not answer.");
            total += stats.RootElement.GetProperty("degradedDecisions").GetInt64();
        }

        return total;
    }

    /// <summary>One claims path: a fresh database, N fresh nodes and a fresh gateway; seed, warm up, drive, verify, stop.</summary>
    private async Task<NodesClaimsPass> RunNodesClaimsPassAsync(string claims, CancellationToken cancellationToken)
    {
        var repoRoot = FindRepoRoot();
        var (database, redis) = Servers();
        var adminKey = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(24));
        // Per pass: each pass's fresh database restarts ids at 1, so cache keys and the registry must not be shared.
        var runId = DateTime.UtcNow.ToString("yyyyMMddHHmmss", CultureInfo.InvariantCulture) + "-" + claims;
        var scalingPrefix = $"demo-{runId}:scaling:";
        var byGatePath = claims == "gate-owned";

        await Verifier.RecreateDatabaseAsync(database, cancellationToken).ConfigureAwait(false);
        var environment = HostEnvironment(database, redis, adminKey, runId);
        if (byGatePath)
        {
            environment["EventKit__Scaling__GateOwnedClaims"] = "true";
        }

        var hosts = new List<SampleHostProcess>();
        SampleHostProcess? gateway = null;
        try
        {
            await StartNodesAsync(repoRoot, environment, scalingPrefix, hosts, cancellationToken).ConfigureAwait(false);
            gateway = await StartGatewayAsync(repoRoot, redis, scalingPrefix, cancellationToken).ConfigureAwait(false);
            using var admin = new HttpClient { BaseAddress = gateway.BaseAddress, Timeout = TimeSpan.FromMinutes(2) };
            admin.DefaultRequestHeaders.Add("X-Admin-Key", adminKey);
            var (gates, scannerKey, seeded) = await SeedThroughGatewayAsync(admin, cancellationToken).ConfigureAwait(false);

            if (byGatePath)
            {
                // Each gate's first check-in, through the gateway to its owner, takes the gate's lease; after one re-entry
                // window the owners decide from memory (before it, PostgreSQL decides, as after any move).
                await TakeGatesAsync(gateway.BaseAddress, gates, scannerKey, byGatePath: true, cancellationToken).ConfigureAwait(false);
            }

            // Warm-up check-ins are real: their admissions are verified with the measured run's.
            var warmupAdmitted = await WarmUpAsync(gateway.BaseAddress, seeded, gates, scannerKey, byGatePath, cancellationToken).ConfigureAwait(false);
            var driver = new Driver(gateway.BaseAddress, "api/v1/checkins", options.Connections, Scenario(seeded, gates, byGatePath), scannerKey);
            var degradedBefore = await DegradedDecisionsAsync(hosts, adminKey, cancellationToken).ConfigureAwait(false);
            var hostsBefore = hosts.Select(static h => h.ProcessorTime()).ToArray();
            var gatewayBefore = gateway.ProcessorTime();
            var result = await DriveAsync(driver, $"check-ins ({claims})", cancellationToken).ConfigureAwait(false);
            var hostsCpu = hosts.Select((h, i) => h.ProcessorTime() - hostsBefore[i]).Aggregate(TimeSpan.Zero, static (sum, cpu) => sum + cpu);
            var gatewayCpu = gateway.ProcessorTime() - gatewayBefore;
            var degraded = await DegradedDecisionsAsync(hosts, adminKey, cancellationToken).ConfigureAwait(false) - degradedBefore;

            var verification = await Verifier.VerifyAsync(database, driver.AdmittedRecordIds.Concat(warmupAdmitted).Distinct().ToArray(), 0, cancellationToken).ConfigureAwait(false);
            var duplicates = await DuplicateAdmissionsAsync(database, TimeSpan.FromSeconds(60), cancellationToken).ConfigureAwait(false);
            var holds = verification.Holds && duplicates == 0 && result.Errors == 0;
            AnsiConsole.MarkupLine(holds
                ? $"[green]Verified:[/] every one of {verification.Admitted:N0} admitted (201) record ids has its row, no other rows; no passage admitted twice inside the re-entry window."
                : $"[red]Verification failed:[/] {verification.Admitted - verification.Found:N0} lost, {verification.Rows - verification.Found:N0} rows without a 201, {duplicates:N0} duplicate admissions, {result.Errors:N0} requests that ended in an error.");
            return new NodesClaimsPass(claims, result, hostsCpu, gatewayCpu, verification, duplicates, driver.OwnerSplit(), degraded, driver.NodeSplit(), driver.ErrorStatuses(), holds, seeded, gates);
        }
        finally
        {
            if (gateway is not null)
            {
                await gateway.DisposeAsync().ConfigureAwait(false);
            }

            foreach (var node in hosts)
            {
                await node.DisposeAsync().ConfigureAwait(false);
            }
        }
    }

    /// <param name="Claims"><c>redis</c> or <c>gate-owned</c>.</param>
    /// <param name="Result">The measured drive.</param>
    /// <param name="HostsCpu">CPU time of all the nodes together during the drive.</param>
    /// <param name="GatewayCpu">CPU time of the YARP gateway during the drive.</param>
    /// <param name="Verification">Admitted record ids (warm-up and drive) against PostgreSQL.</param>
    /// <param name="Duplicates">Passages admitted twice inside the re-entry window (SQL).</param>
    /// <param name="OwnerSplit">Answers decided by the node reached, and passed on by it to the gate's owner.</param>
    /// <param name="DegradedDecisions">Admissions PostgreSQL decided under the passage lock during the drive, all nodes.</param>
    /// <param name="NodeSplit">Answers per node.</param>
    /// <param name="ErrorStatuses">Error answers by status.</param>
    /// <param name="Holds">Verified, no duplicates, no errors.</param>
    /// <param name="Seeded">The pass's participants (the ceiling reuses the last pass's bodies).</param>
    /// <param name="Gates">The pass's gates.</param>
    private sealed record NodesClaimsPass(
        string Claims,
        DriverResult Result,
        TimeSpan HostsCpu,
        TimeSpan GatewayCpu,
        Verification Verification,
        long Duplicates,
        (long DecidedWhereReceived, long PassedToOwner) OwnerSplit,
        long DegradedDecisions,
        Dictionary<string, long> NodeSplit,
        string ErrorStatuses,
        bool Holds,
        SeededParticipants Seeded,
        long[] Gates);
}
