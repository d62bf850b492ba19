using System.Diagnostics;
using System.Globalization;
using Npgsql;
using Spectre.Console;

namespace EventKit.LoadTest;

/// <summary>
/// <c>./eventkit demo --nodes N</c>: N sample hosts on one PostgreSQL database and one Redis, the YARP gateway sample in
/// front (it discovers them from the node registry), the demo's wave through the gateway, one node SIGKILLed half-way.
/// </summary>
internal sealed partial class LoadRun
{
    private async Task<int> RunNodesAsync(string repoRoot, string database, Dictionary<string, string> environment, string runId, string adminKey, CancellationToken cancellationToken)
    {
        // One registry namespace per run: nodes of an earlier run (or of another run on this Redis) are never discovered.
        var scalingPrefix = $"demo-{runId}:scaling:";
        var hosts = new List<SampleHostProcess>();
        var extras = new List<SampleHostProcess>();
        var running = new List<(string Id, Uri Address)>();
        var runningLock = new Lock();
        IReadOnlyList<(string Id, Uri Address)> LiveNodes()
        {
            lock (runningLock)
            {
                return [.. running];
            }
        }

        SampleHostProcess? gateway = null;
        ScaleWebhook? webhook = null;
        using var watcher = new ClusterWatcher(adminKey, TimeSpan.FromMilliseconds(250));
        using var watching = new CancellationTokenSource();
        var watch = Task.CompletedTask;
        try
        {
            var nodeEnvironment = new Dictionary<string, string>(environment);
            if (options.Autoscale)
            {
                webhook = await StartScaleWebhookAsync(repoRoot, nodeEnvironment, scalingPrefix, extras, running, runningLock, watcher, cancellationToken).ConfigureAwait(false);
                foreach (var (key, value) in AutoscaleSettings(webhook.Url))
                {
                    nodeEnvironment[key] = value;
                }
            }

            await StartNodesAsync(repoRoot, nodeEnvironment, scalingPrefix, hosts, cancellationToken).ConfigureAwait(false);
            for (var i = 0; i < hosts.Count; i++)
            {
                var node = hosts[i];
                running.Add(($"node-{i + 1}", node.BaseAddress));
                watcher.Add($"node-{i + 1}", node.BaseAddress);
            }

            watch = watcher.RunAsync(watching.Token);

            gateway = await StartGatewayAsync(repoRoot, environment["EVENTKIT_REDIS"], scalingPrefix, cancellationToken).ConfigureAwait(false);

            using var admin = new HttpClient { BaseAddress = gateway.BaseAddress, Timeout = TimeSpan.FromMinutes(2) };
            admin.DefaultRequestHeaders.Add("X-Admin-Key", adminKey);
            var (gates, scannerKey, seeded) = await SeedThroughGatewayAsync(admin, cancellationToken).ConfigureAwait(false);

            // BLE gateways post through the gateway too; each answer names the node it reached and the one that processed it.
            BleSimulator? ble = null;
            var bleReports = new System.Collections.Concurrent.ConcurrentQueue<BleReport>();
            if (options.BlePhones > 0)
            {
                ble = await BleSimulator.CreateAsync(admin, gates, seeded.Ids, options.BlePhones, options.Duration, cancellationToken).ConfigureAwait(false);
                ble.ResponseObserver = (gate, response) => bleReports.Enqueue(new BleReport(
                    Stopwatch.GetTimestamp(),
                    gate,
                    response.Headers.TryGetValues(Driver.NodeHeader, out var received) ? received.FirstOrDefault() : null,
                    response.Headers.TryGetValues(Driver.ProcessedByHeader, out var processed) ? processed.FirstOrDefault() : null,
                    (int)response.StatusCode));
                AnsiConsole.MarkupLine($"{ble.Phones:N0} phones broadcast Eddystone-EID adverts to {gates.Length} simulated BLE gateways, whose reports go through the gateway.");
            }

            // Participants whose status the propagation probe flips: the middle of the Zipf ranks, not seeded revoked, no phone.
            var probeIds = Enumerable.Range(seeded.Ids.Length / 2, Math.Min(256, seeded.Ids.Length / 4))
                .Where(i => !seeded.Revoked[i])
                .Select(i => seeded.Ids[i])
                .ToArray();
            using var probe = new PropagationProbe(LiveNodes, adminKey, probeIds[(probeIds.Length / 2)..]);

            // First without the wave (nothing else is sent to the nodes yet): what invalidation takes on this machine by itself.
            using var quietProbe = new PropagationProbe(LiveNodes, adminKey, probeIds[..(probeIds.Length / 2)]);
            await quietProbe.RunAsync(TimeSpan.FromSeconds(20), TimeSpan.FromMilliseconds(20), lanes: 4, maxChanges: 100, cancellationToken).ConfigureAwait(false);
            AnsiConsole.MarkupLine($"L1 propagation without the wave: {Markup.Escape(quietProbe.FromAnswer.Text)}.");

            var victimIndex = hosts.Count - 1;
            // With the gate-owned fast path the scanners post to their gate's path, which the gateway routes to the gate's owner.
            var byGatePath = options.Claims == "gate-owned";
            var driver = new Driver(gateway.BaseAddress, "api/v1/checkins", options.Connections, Scenario(seeded, gates, byGatePath), scannerKey) { RetryFailures = true };
            var cpuBefore = hosts.Select(static h => h.ProcessorTime()).ToArray();
            var victimCpu = TimeSpan.Zero;
            long killedAt = 0;
            var killWall = DateTimeOffset.MinValue;
            var killElapsed = TimeSpan.Zero;
            long decidedAtKill = 0;
            var timeline = new List<(long Timestamp, long Decided)>();
            var lastPrint = TimeSpan.Zero;
            var half = options.Duration / 2;
            var waveStarted = Stopwatch.GetTimestamp();
            if (webhook is not null)
            {
                webhook.Armed = true;
            }

            var bleRun = ble?.RunAsync(options.Duration, cancellationToken) ?? Task.CompletedTask;
            var probeRun = probe.RunAsync(options.Duration, TimeSpan.FromMilliseconds(50), lanes: 8, maxChanges: int.MaxValue, cancellationToken);
            var result = await driver.RunAsync(options.Duration, s =>
            {
                timeline.Add((Stopwatch.GetTimestamp(), driver.DecidedCount()));
                if (!options.Autoscale && killedAt == 0 && s.Elapsed >= half)
                {
                    // The node that leads right now is killed, so the report shows leadership moving too.
                    victimIndex = LeaderIndex(watcher.Samples, hosts.Count) ?? hosts.Count - 1;
                    var victim = hosts[victimIndex];
                    victimCpu = victim.ProcessorTime();
                    victim.KillHard();
                    killedAt = Stopwatch.GetTimestamp();
                    killWall = DateTimeOffset.UtcNow;
                    killElapsed = s.Elapsed;
                    decidedAtKill = driver.DecidedCount();
                    lock (runningLock)
                    {
                        running.RemoveAll(n => n.Address == victim.BaseAddress);
                    }

                    watcher.Remove($"node-{victimIndex + 1}");
                    Console.WriteLine($"  SIGKILL node-{victimIndex + 1} {victim.BaseAddress} (pid {victim.ProcessId}) at {s.Elapsed.TotalSeconds:N1} s");
                }

                if (s.Elapsed - lastPrint >= TimeSpan.FromSeconds(5))
                {
                    lastPrint = s.Elapsed;
                    Console.WriteLine($"  check-ins: {s.Elapsed.TotalSeconds,5:N0} s  {s.Requests,9:N0} requests  {s.Requests / s.Elapsed.TotalSeconds,8:N0}/s  admitted {s.Admitted:N0}  duplicates {s.Duplicates:N0}  errors {s.Errors:N0}");
                }
            }, cancellationToken).ConfigureAwait(false);
            var cpu = hosts.Select((h, i) => (killedAt != 0 && i == victimIndex ? victimCpu : h.ProcessorTime()) - cpuBefore[i]).ToArray();
            await bleRun.ConfigureAwait(false);
            await probeRun.ConfigureAwait(false);
            if (webhook is not null)
            {
                await WaitForScaleDownAsync(webhook, extras, runningLock, cancellationToken).ConfigureAwait(false);
            }

            await watching.CancelAsync().ConfigureAwait(false);
            await watch.ConfigureAwait(false);
            var samples = watcher.Samples;

            var verification = await Verifier.VerifyAsync(database, driver.AdmittedRecordIds.Distinct().ToArray(), ble?.Admitted ?? 0, cancellationToken).ConfigureAwait(false);
            var duplicates = await DuplicateAdmissionsAsync(database, TimeSpan.FromSeconds(60), cancellationToken).ConfigureAwait(false);
            var degradedText = await DegradedDecisionsTextAsync(hosts.Where((_, i) => killedAt == 0 || i != victimIndex), adminKey, cancellationToken).ConfigureAwait(false);
            var failures = driver.Failures().ToList();
            var afterKill = failures.Where(f => killedAt != 0 && f.Timestamp >= killedAt).ToList();
            // Failover: until the last answer the gateway gave itself (502/503, no node reached) or the last transport
            // failure. A 503 a surviving node gave (storage or Redis trouble on a loaded machine) is listed apart.
            var routing = afterKill.Where(static f => f.Failure.EndsWith(Driver.GatewayOrigin, StringComparison.Ordinal) || f.Failure is "transport" or "timeout").ToList();
            var failoverEnd = routing.Count == 0 ? killedAt : routing.Max(static f => f.Timestamp);
            var failover = killedAt == 0 ? TimeSpan.Zero : Stopwatch.GetElapsedTime(killedAt, failoverEnd);
            var lastAny = afterKill.Count == 0 ? TimeSpan.Zero : Stopwatch.GetElapsedTime(killedAt, afterKill.Max(static f => f.Timestamp));
            var end = timeline.Count > 0 ? timeline[^1] : (Timestamp: Stopwatch.GetTimestamp(), Decided: driver.DecidedCount());
            var steady = timeline.FirstOrDefault(t => t.Timestamp >= failoverEnd);
            var split = driver.NodeSplit();
            var answered = Math.Max(1, split.Values.Sum());

            var victimId = $"node-{victimIndex + 1}";
            var rows = new List<(string Name, string Value)>
            {
                ("nodes", $"{options.Nodes} sample hosts behind the YARP gateway sample; {options.Connections} connections, {options.Duration.TotalSeconds:N0} s{(options.Autoscale ? "; --autoscale (no kill)" : "")}"),
                ("load average at the end (1 / 5 / 15 min)", LoadAverage()),
                ("claims; the scanners posted to", ScannerPathText(options.Claims, byGatePath)),
                ("check-ins decided by the node the gateway sent them to (X-EventKit-Processed-By)", OwnerShareText(driver.OwnerSplit())),
                ("check-ins decided per second before the kill", $"{decidedAtKill / Math.Max(0.001, killElapsed.TotalSeconds):N0}"),
                ("check-ins decided per second after the kill (kill → end)", $"{(end.Decided - decidedAtKill) / Math.Max(0.001, Stopwatch.GetElapsedTime(killedAt, end.Timestamp).TotalSeconds):N0}"),
                ("check-ins decided per second after failover (last failure → end)", steady.Timestamp == 0 || steady.Timestamp >= end.Timestamp
                    ? "n/a"
                    : $"{(end.Decided - steady.Decided) / Stopwatch.GetElapsedTime(steady.Timestamp, end.Timestamp).TotalSeconds:N0}"),
                ("killed", killedAt == 0 ? "none" : $"{victimId} ({hosts[victimIndex].BaseAddress}) with SIGKILL at {killElapsed.TotalSeconds:N1} s"),
                ("failover (kill → last 502/503 from the gateway or transport failure, client side)", $"{failover.TotalSeconds:N2} s"),
                ("kill → last failed answer of any kind (node 503s included)", $"{lastAny.TotalSeconds:N2} s"),
                ("failed attempts after the kill, retried with the same requestId", afterKill.Count == 0 ? "0" : string.Join(", ", afterKill.GroupBy(static f => f.Failure).OrderBy(static g => g.Key, StringComparer.Ordinal).Select(static g => $"{g.Key}: {g.Count():N0}"))),
                ("failed attempts after the kill, per second since the kill", string.Join(" ", afterKill
                    .GroupBy(f => (int)Stopwatch.GetElapsedTime(killedAt, f.Timestamp).TotalSeconds)
                    .OrderBy(static g => g.Key)
                    .Select(static g => $"+{g.Key}s:{g.Count()}"))),
                ("failed attempts before the kill", $"{failures.Count - afterKill.Count:N0}"),
                ("error answers by status (every attempt)", driver.ErrorStatuses() is { Length: > 0 } statuses ? statuses : "none"),
                ("requests / admitted (201) / replays (200) / final errors", $"{result.Requests:N0} / {result.Count(Outcome.Admitted):N0} / {result.Count(Outcome.Duplicate):N0} / {result.Errors:N0}"),
                ("lost (201 without a row in PostgreSQL)", $"{verification.Admitted - verification.Found:N0}"),
                ("rows without a 201 (written by the dying node, answer lost)", $"{Math.Max(0, verification.Rows - verification.Found):N0}"),
                ("duplicate admissions inside the 60 s re-entry window (SQL)", $"{duplicates:N0}"),
                ("admissions PostgreSQL decided under the passage lock (degraded decisions; surviving base nodes, whole run)", degradedText),
            };
            if (killedAt == 0)
            {
                // --autoscale: nothing was killed.
                rows.RemoveAll(static r => r.Name.Contains("kill", StringComparison.Ordinal) || r.Name.Contains("failover", StringComparison.Ordinal));
                rows.Insert(2, ("check-ins decided per second", $"{end.Decided / Math.Max(0.001, options.Duration.TotalSeconds):N0}"));
                rows.Insert(3, ("failed attempts (retried with the same requestId)", failures.Count == 0 ? "0" : string.Join(", ", failures.GroupBy(static f => f.Failure).OrderBy(static g => g.Key, StringComparer.Ordinal).Select(static g => $"{g.Key}: {g.Count():N0}"))));
            }
            for (var i = 0; i < hosts.Count; i++)
            {
                var id = $"node-{i + 1}";
                var count = split.GetValueOrDefault(id);
                rows.Add(($"{id} share of answers{(killedAt != 0 && i == victimIndex ? " (killed)" : "")}", $"{count:N0} ({count / (double)answered:P1}), {cpu[i].TotalSeconds:N1} CPU-s"));
            }

            foreach (var (id, count) in split.Where(p => p.Key.StartsWith("node-", StringComparison.Ordinal) && int.TryParse(p.Key.AsSpan(5), out var n) && n > hosts.Count).OrderBy(p => p.Key, StringComparer.Ordinal))
            {
                rows.Add(($"{id} share of answers (started by the autoscaler)", $"{count:N0} ({count / (double)answered:P1})"));
            }

            rows.AddRange(PropagationRows("before the wave", quietProbe));
            rows.AddRange(PropagationRows("during the wave", probe));
            rows.Add(("Redis trouble in the nodes' logs (invalidations that time out are replayed when the L2 circuit closes)", RedisTrouble(hosts)));
            rows.AddRange(BleRows(ble, verification, [.. bleReports], gates, hosts.Count, killedAt == 0 ? null : victimId, killedAt, samples));
            rows.AddRange(LeaderRows(samples, killedAt == 0 ? null : victimId, killedAt, killWall, hosts.Count));

            var table = new Table().Title("[bold]Result: nodes behind the gateway[/]").AddColumns("metric", "value");
            foreach (var (name, value) in rows)
            {
                table.AddRow(Markup.Escape(name), Markup.Escape(value));
            }

            AnsiConsole.Write(table);
            var curve = webhook is null ? [] : AutoscaleCurve(samples, webhook.Events, waveStarted);
            if (curve.Count > 0)
            {
                var curveTable = new Table().Title("[bold]Autoscaler on the recorded load curve[/]").AddColumns("t (s)", "live nodes", "in flight / node", "CPU / node", "current", "desired", "reason / executor");
                foreach (var row in curve)
                {
                    curveTable.AddRow(row.Select(Markup.Escape).ToArray());
                }

                AnsiConsole.Write(curveTable);
            }

            var lost = verification.Admitted - verification.Found;
            var holds = lost == 0 && duplicates == 0 && result.Errors == 0;
            AnsiConsole.MarkupLine(holds
                ? $"[green]Verified:[/] every one of {verification.Admitted:N0} admitted (201) record ids has its row; no passage (participant, gate) admitted twice inside the re-entry window."
                : $"[red]Verification failed:[/] {lost:N0} lost, {duplicates:N0} duplicate admissions, {result.Errors:N0} requests that ended in an error.");
            if (options.Output is { } output)
            {
                var markdown = "| metric | value |\n|---|---|\n" + string.Concat(rows.Select(static r => $"| {r.Name} | {r.Value} |\n"));
                if (curve.Count > 0)
                {
                    markdown += "\n| t (s) | live nodes | in flight / node | CPU / node | current | desired | reason / executor |\n|---:|---:|---:|---:|---:|---:|---|\n"
                        + string.Concat(curve.Select(static r => "| " + string.Join(" | ", r) + " |\n"));
                }

                await File.WriteAllTextAsync(output, markdown, cancellationToken).ConfigureAwait(false);
                AnsiConsole.MarkupLine($"Report written to {Markup.Escape(output)}");
            }

            return holds ? 0 : 1;
        }
        finally
        {
            await watching.CancelAsync().ConfigureAwait(false);
            await watch.ConfigureAwait(false);
            if (webhook is not null)
            {
                await webhook.DisposeAsync().ConfigureAwait(false);
            }

            if (gateway is not null)
            {
                await gateway.DisposeAsync().ConfigureAwait(false);
            }

            List<SampleHostProcess> left;
            lock (runningLock)
            {
                left = [.. extras];
                extras.Clear();
            }

            foreach (var node in hosts.Concat(left))
            {
                await node.DisposeAsync().ConfigureAwait(false);
            }
        }
    }

    /// <summary>"gate-owned fast path; POST /api/v1/gates/{gateId}/checkins (routed by the gateway to the gate's owner)".</summary>
    private static string ScannerPathText(string claims, bool byGatePath)
        => (claims == "gate-owned" ? "gate-owned fast path" : "shared Redis claims") + "; "
            + (byGatePath
                ? "POST /api/v1/gates/{gateId}/checkins (the gateway routes it to the gate's owner)"
                : "POST /api/v1/checkins (the gateway balances it by power of two choices)");

    /// <summary>
    /// The share of answers whose deciding node (<see cref="Driver.ProcessedByHeader"/>, set with the gate-owned fast path)
    /// is the node the request reached, rather than the owner it passed the check-in on to.
    /// </summary>
    private static string OwnerShareText((long DecidedWhereReceived, long PassedToOwner) split)
    {
        var marked = split.DecidedWhereReceived + split.PassedToOwner;
        return marked == 0
            ? "n/a (no answer names its deciding node: shared Redis claims)"
            : $"{split.DecidedWhereReceived / (double)marked:P1} ({split.DecidedWhereReceived:N0} of {marked:N0}; {split.PassedToOwner:N0} passed on to the owner)";
    }

    /// <summary>
    /// The nodes' degraded decisions since they started, or why not. With the gate-owned fast path, PostgreSQL decides a
    /// gate's admissions for one re-entry window after its lease is taken (the demo does not wait for it) and after a move.
    /// </summary>
    private static async Task<string> DegradedDecisionsTextAsync(IEnumerable<SampleHostProcess> hosts, string adminKey, CancellationToken cancellationToken)
    {
        try
        {
            return $"{await DegradedDecisionsAsync(hosts, adminKey, cancellationToken).ConfigureAwait(false):N0}";
        }
        catch (Exception e) when (e is InvalidOperationException or HttpRequestException or KeyNotFoundException || (e is TaskCanceledException && !cancellationToken.IsCancellationRequested))
        {
            return "n/a (" + e.Message + ")";
        }
    }

    /// <summary>Seeds the run's gates, one scanner for all of them and the participants through the gateway.</summary>
    private async Task<(long[] Gates, string ScannerKey, SeededParticipants Seeded)> SeedThroughGatewayAsync(HttpClient admin, CancellationToken cancellationToken)
    {
        var seeder = new Seeder(admin);
        var seedWatch = Stopwatch.StartNew();
        var gates = await seeder.CreateGatesAsync(options.Gates, cancellationToken).ConfigureAwait(false);
        var scannerKey = await seeder.CreateScannerAsync(gates, cancellationToken).ConfigureAwait(false);
        var seeded = await seeder.CreateParticipantsAsync(options.Participants, options.RevokedShare, _ => { }, cancellationToken).ConfigureAwait(false);
        AnsiConsole.MarkupLine($"Seeded {options.Participants:N0} participants and {gates.Length} gates through the gateway in {seedWatch.Elapsed.TotalSeconds:N1} s.");
        return (gates, scannerKey, seeded);
    }

    /// <summary>
    /// Starts <see cref="LoadOptions.Nodes"/> sample hosts into <paramref name="hosts"/> (the first migrates the fresh
    /// database, the others start once it has). Each is added as soon as it is up, so the caller stops every one that
    /// started even when another did not.
    /// </summary>
    private async Task StartNodesAsync(string repoRoot, IReadOnlyDictionary<string, string> environment, string scalingPrefix, List<SampleHostProcess> hosts, CancellationToken cancellationToken)
    {
        hosts.Add(await StartNodeAsync(repoRoot, environment, scalingPrefix, 1, cancellationToken).ConfigureAwait(false));
        var rest = Enumerable.Range(2, options.Nodes - 1).Select(i => StartNodeAsync(repoRoot, environment, scalingPrefix, i, cancellationToken)).ToArray();
        try
        {
            hosts.AddRange(await Task.WhenAll(rest).ConfigureAwait(false));
        }
        catch (InvalidOperationException)
        {
            hosts.AddRange(rest.Where(static t => t.IsCompletedSuccessfully).Select(static t => t.Result));
            throw;
        }

        foreach (var node in hosts)
        {
            AnsiConsole.MarkupLine($"Node up at [link]{node.BaseAddress}[/] (pid {node.ProcessId}, log {Markup.Escape(node.LogPath)})");
        }
    }

    /// <summary>
    /// Starts the YARP gateway sample on <see cref="LoadOptions.Port"/>, discovering the nodes of
    /// <paramref name="scalingPrefix"/>'s registry, and waits until it has routed to every one of them.
    /// </summary>
    private async Task<SampleHostProcess> StartGatewayAsync(string repoRoot, string redis, string scalingPrefix, CancellationToken cancellationToken)
    {
        var gatewayEnvironment = new Dictionary<string, string>
        {
            ["EVENTKIT_REDIS"] = redis,
            ["EventKit__Scaling__KeyPrefix"] = scalingPrefix,
            ["ASPNETCORE_ENVIRONMENT"] = "Production",
            ["Logging__LogLevel__Default"] = "Warning",
            ["DOTNET_gcServer"] = "0",
        };
        var gateway = await SampleHostProcess.StartAsync(repoRoot, "EventKit.Sample.Gateway", "gateway", options.Port, gatewayEnvironment, cancellationToken).ConfigureAwait(false);
        try
        {
            var seen = await WaitForNodesAsync(gateway.BaseAddress, cancellationToken).ConfigureAwait(false);
            AnsiConsole.MarkupLine($"YARP gateway up at [link]{gateway.BaseAddress}[/] (pid {gateway.ProcessId}); it routes to {string.Join(", ", seen.Order(StringComparer.Ordinal))}.");
            return gateway;
        }
        catch
        {
            await gateway.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    private async Task<SampleHostProcess> StartNodeAsync(string repoRoot, IReadOnlyDictionary<string, string> environment, string scalingPrefix, int index, CancellationToken cancellationToken)
    {
        var port = options.Port + index;
        var node = new Dictionary<string, string>(environment, StringComparer.Ordinal)
        {
            ["EventKit__Scaling__NodeId"] = $"node-{index}",
            ["EventKit__Scaling__AdvertisedUrl"] = $"http://127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}",
            ["EventKit__Scaling__KeyPrefix"] = scalingPrefix,
            // Several hosts share 2 cores and one PostgreSQL: smaller pools, workstation GC.
            ["EventKit__Storage__MaxPoolSize"] = "16",
            ["DOTNET_gcServer"] = "0",
        };
        try
        {
            return await SampleHostProcess.StartAsync(repoRoot, "EventKit.Sample.Host", $"node{index}", port, node, cancellationToken).ConfigureAwait(false);
        }
        catch (InvalidOperationException e)
        {
            // On a busy shared machine a host can time out opening its first PostgreSQL connection: one more try.
            Console.WriteLine($"  node-{index} did not start ({e.Message.Split('\n')[0]}); trying once more");
            return await SampleHostProcess.StartAsync(repoRoot, "EventKit.Sample.Host", $"node{index}", port, node, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Probes <c>/health/live</c> through the gateway until every node has answered once (the registry and YARP caught up).</summary>
    private async Task<HashSet<string>> WaitForNodesAsync(Uri gateway, CancellationToken cancellationToken)
    {
        using var probe = new HttpClient { BaseAddress = gateway, Timeout = TimeSpan.FromSeconds(2) };
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (seen.Count < options.Nodes)
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new InvalidOperationException($"The gateway routed to {seen.Count} of {options.Nodes} nodes within 60 s ({string.Join(", ", seen)}).");
            }

            try
            {
                using var response = await probe.GetAsync("health/live", cancellationToken).ConfigureAwait(false);
                if (response.Headers.TryGetValues(Driver.NodeHeader, out var nodes))
                {
                    seen.UnionWith(nodes);
                }
            }
            catch (HttpRequestException)
            {
            }
            catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
            }

            await Task.Delay(50, cancellationToken).ConfigureAwait(false);
        }

        return seen;
    }

    /// <summary>
    /// Passages (participant and gate, the key anti-passback decides on) admitted (direction in, QR) twice within
    /// <paramref name="window"/> of each other: must be 0. The demo sends each participant to one gate; the load test
    /// spreads scans over every gate, where an admission at another gate inside the window is allowed.
    /// </summary>
    private static async Task<long> DuplicateAdmissionsAsync(string connectionString, TimeSpan window, CancellationToken cancellationToken)
    {
        await using var dataSource = NpgsqlDataSource.Create(connectionString);
        await using var command = dataSource.CreateCommand("""
            SELECT count(*) FROM (
                SELECT occurred_at - lag(occurred_at) OVER (PARTITION BY event_id, participant_id, gate_id ORDER BY occurred_at) AS gap
                FROM attendance_records WHERE method <> 2 AND direction = 0) admissions
            WHERE gap < $1
            """);
        command.Parameters.Add(new NpgsqlParameter { Value = window });
        return (long)(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!;
    }
}
