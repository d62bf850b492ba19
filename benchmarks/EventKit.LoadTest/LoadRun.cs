using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json;
using Npgsql;
using Spectre.Console;

namespace EventKit.LoadTest;

/// <summary>One demo or load-test run: fresh database, sample host, seed, drive, verify, report.</summary>
internal sealed partial class LoadRun(LoadOptions options)
{
    private const string DefaultPostgres = "Host=127.0.0.1;Port=55432;Username=eventkit;Password=eventkit;Database=eventkit";
    private const string DefaultRedis = "127.0.0.1:56379";
    private TimeSpan? _ceilingCpu;
    private string? _ceilingMachineCpu;

    public async Task<int> RunAsync(CancellationToken cancellationToken)
    {
        if (options.Mode == "load" && options.Nodes > 1)
        {
            return await RunNodesClaimsAsync(cancellationToken).ConfigureAwait(false);
        }

        return options.Claims == "both" ? await RunBothClaimsAsync(cancellationToken).ConfigureAwait(false) : await RunPassAsync(cancellationToken).ConfigureAwait(false);
    }

    private async Task<int> RunPassAsync(CancellationToken cancellationToken)
    {
        var repoRoot = FindRepoRoot();
        var (demoDatabase, redis) = Servers();
        var adminKey = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(24));
        var runId = DateTime.UtcNow.ToString("yyyyMMddHHmmss", CultureInfo.InvariantCulture);

        AnsiConsole.Write(new Rule($"[bold]EventKit {options.Mode}[/]").LeftJustified());
        AnsiConsole.MarkupLine($"{options.Participants:N0} participants, {options.Gates} gates, {options.Connections} connections, {options.Duration.TotalSeconds:N0} s");

        await Verifier.RecreateDatabaseAsync(demoDatabase, cancellationToken).ConfigureAwait(false);
        var environment = HostEnvironment(demoDatabase, redis, adminKey, runId);

        // --serve keeps the host for the dashboard: the sample host adds monitoring (its /eventkit/dashboard) on request.
        if (options.Serve)
        {
            environment["EventKit__Sample__Monitoring"] = "true";
        }

        if (options.Claims == "gate-owned")
        {
            // The gate-owned fast path, in a registry of this run's own (no other run's node owns a gate).
            environment["EventKit__Scaling__GateOwnedClaims"] = "true";
            environment["EventKit__Scaling__KeyPrefix"] = $"demo-{runId}:scaling:";
        }

        if (options.Nodes > 1)
        {
            return await RunNodesAsync(repoRoot, demoDatabase, environment, runId, adminKey, cancellationToken).ConfigureAwait(false);
        }

        await using var host = await SampleHostProcess.StartAsync(repoRoot, options.Port, environment, cancellationToken).ConfigureAwait(false);
        AnsiConsole.MarkupLine($"Sample host up at [link]{host.BaseAddress}[/] (pid {host.ProcessId}, log {Markup.Escape(host.LogPath)})");

        using var admin = new HttpClient { BaseAddress = host.BaseAddress, Timeout = TimeSpan.FromMinutes(2) };
        admin.DefaultRequestHeaders.Add("X-Admin-Key", adminKey);
        var seeder = new Seeder(admin);
        var seedWatch = Stopwatch.StartNew();
        long[] gates = [];
        var scannerKey = "";
        SeededParticipants? seeded = null;
        await AnsiConsole.Progress().AutoClear(false).StartAsync(async progress =>
        {
            var gateTask = progress.AddTask("gates", maxValue: options.Gates);
            gates = await seeder.CreateGatesAsync(options.Gates, cancellationToken).ConfigureAwait(false);
            scannerKey = await seeder.CreateScannerAsync(gates, cancellationToken).ConfigureAwait(false);
            gateTask.Value = options.Gates;
            var participantTask = progress.AddTask("participants", maxValue: options.Participants);
            seeded = await seeder.CreateParticipantsAsync(options.Participants, options.RevokedShare, n => participantTask.Value = n, cancellationToken).ConfigureAwait(false);
        }).ConfigureAwait(false);
        AnsiConsole.MarkupLine($"Seeded in {seedWatch.Elapsed.TotalSeconds:N1} s ({options.Participants / seedWatch.Elapsed.TotalSeconds:N0} participants/s through the API).");

        BleSimulator? ble = null;
        if (options.BlePhones > 0)
        {
            ble = await BleSimulator.CreateAsync(admin, gates, seeded!.Ids, options.BlePhones, options.Duration, cancellationToken).ConfigureAwait(false);
            AnsiConsole.MarkupLine(options.Mode == "ble"
                ? $"{ble.Phones:N0} phones with Eddystone-EID keys, {gates.Length} registered gateways."
                : $"{ble.Phones:N0} phones broadcast Eddystone-EID adverts to {gates.Length} simulated BLE gateways (NDJSON every 250 ms).");
        }

        if (options.Mode == "ble")
        {
            return await FloodBleAsync(host, ble!, cancellationToken).ConfigureAwait(false);
        }

        if (options.MonitoringAb)
        {
            return await RunMonitoringAbAsync(repoRoot, host, environment, demoDatabase, seeded!, gates, scannerKey, cancellationToken).ConfigureAwait(false);
        }

        if (options.Overload)
        {
            return await RunOverloadAsync(host, demoDatabase, seeded!, gates, scannerKey, RedisPort(redis), cancellationToken).ConfigureAwait(false);
        }

        if (options.Claims == "gate-owned")
        {
            await TakeGatesAsync(host.BaseAddress, gates, scannerKey, byGatePath: false, cancellationToken).ConfigureAwait(false);
        }

        // Warm-up check-ins are real: their admissions are verified with the measured run's.
        var warmupAdmitted = await WarmUpAsync(host.BaseAddress, seeded!, gates, scannerKey, byGatePath: false, cancellationToken).ConfigureAwait(false);
        var driver = new Driver(host.BaseAddress, "api/v1/checkins", options.Connections, Scenario(seeded!, gates), scannerKey);
        var memoryBefore = host.WorkingSetBytes();
        var cpuBefore = host.ProcessorTime();
        var machine = new MachineCpu(host.ProcessId, options.Database, RedisPort(redis));
        var machineBefore = machine.Take();
        var bleRun = ble?.RunAsync(options.Duration, cancellationToken) ?? Task.CompletedTask;
        using var sampling = new CancellationTokenSource();
        var memory = SampleMemoryAsync(host, sampling.Token);
        var result = await DriveAsync(driver, "check-ins", cancellationToken).ConfigureAwait(false);
        await bleRun.ConfigureAwait(false);
        await sampling.CancelAsync().ConfigureAwait(false);
        var samples = await memory.ConfigureAwait(false);
        var memoryAfter = host.WorkingSetBytes();
        var hostCpu = host.ProcessorTime() - cpuBefore;
        var machineCpu = MachineCpuText(machine.Take().Since(machineBefore), result.Requests);

        var stats = await ReadStatsAsync(admin, cancellationToken).ConfigureAwait(false);
        var verification = await Verifier.VerifyAsync(demoDatabase, driver.AdmittedRecordIds.Concat(warmupAdmitted).Distinct().ToArray(), ble?.Admitted ?? 0, cancellationToken).ConfigureAwait(false);

        DriverResult? ceiling = null;
        if (options.Mode == "load" && !options.SkipCeiling && !_skipPassCeiling)
        {
            ceiling = await RunCeilingAsync(seeded!, gates, RedisPort(redis), cancellationToken).ConfigureAwait(false);
        }

        _passes.Add(new ClaimsPass(options.Claims, result, hostCpu, ceiling, verification.Holds));

        var report = new Report(options, result, ceiling, verification, stats, memoryBefore, memoryAfter, ble, hostCpu, _ceilingCpu, samples, machineCpu, _ceilingMachineCpu);
        report.Write();
        if (options.Output is { } output)
        {
            await File.WriteAllTextAsync(output, report.ToMarkdown(), cancellationToken).ConfigureAwait(false);
            AnsiConsole.MarkupLine($"Report written to {Markup.Escape(output)}");
        }

        var htmlReport = Path.Combine(repoRoot, "artifacts", "demo", $"{options.Mode}-report.html");
        await File.WriteAllTextAsync(htmlReport, report.ToHtml(), cancellationToken).ConfigureAwait(false);
        AnsiConsole.MarkupLine($"HTML report written to {Markup.Escape(htmlReport)}");

        if (options.Serve)
        {
            var keyFile = Path.Combine(repoRoot, "artifacts", "demo", "admin-key");
            var scannerKeyFile = Path.Combine(repoRoot, "artifacts", "demo", "scanner-key");
            await File.WriteAllTextAsync(keyFile, adminKey + "\n", cancellationToken).ConfigureAwait(false);
            await File.WriteAllTextAsync(scannerKeyFile, scannerKey + "\n", cancellationToken).ConfigureAwait(false);
            if (!OperatingSystem.IsWindows())
            {
                File.SetUnixFileMode(keyFile, UnixFileMode.UserRead | UnixFileMode.UserWrite);
                File.SetUnixFileMode(scannerKeyFile, UnixFileMode.UserRead | UnixFileMode.UserWrite);
            }
            AnsiConsole.MarkupLine($"The host keeps running at [bold]{host.BaseAddress}[/] (admin key in {Markup.Escape(keyFile)}, a scanner key for every gate in {Markup.Escape(scannerKeyFile)}). Ctrl+C stops it.");
            AnsiConsole.MarkupLine($"Live dashboard: [link]{host.BaseAddress}eventkit/dashboard[/] (paste the admin key: cat {Markup.Escape(keyFile)}).");
            try
            {
                await Task.Delay(Timeout.Infinite, cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
            }
        }

        return verification.Holds && result.Errors == 0 && (ble?.FailedReports ?? 0) == 0 ? 0 : 1;
    }

    /// <summary>The run's database (<see cref="LoadOptions.Database"/> on EVENTKIT_POSTGRES's server) and Redis (EVENTKIT_REDIS).</summary>
    private (string Database, string Redis) Servers()
    {
        var postgres = Environment.GetEnvironmentVariable("EVENTKIT_POSTGRES") is { Length: > 0 } pg ? pg : DefaultPostgres;
        var redis = Environment.GetEnvironmentVariable("EVENTKIT_REDIS") is { Length: > 0 } r ? r : DefaultRedis;
        return (new NpgsqlConnectionStringBuilder(postgres) { Database = options.Database }.ConnectionString, redis);
    }

    /// <summary>
    /// The environment of a sample host of this run: its database, Redis, keys and secrets fresh per run, and the settings
    /// that let a synthetic load measure the pipeline. <paramref name="runId"/> keeps cache keys of earlier runs out.
    /// </summary>
    private static Dictionary<string, string> HostEnvironment(string database, string redis, string adminKey, string runId)
        => new()
        {
            ["EVENTKIT_POSTGRES"] = database,
            ["EVENTKIT_REDIS"] = redis,
            ["EVENTKIT_ADMIN_KEY"] = adminKey,
            // Credential hashes are HMAC-SHA256 under a server-side pepper (required outside Development); the run's database
            // is fresh, so a fresh pepper per run is fine.
            ["EVENTKIT_CREDENTIAL_PEPPER"] = Convert.ToBase64String(RandomNumberGenerator.GetBytes(48)),

            // BLE identity keys are sealed at rest; the host runs as Production, which refuses them without a key.
            // `./eventkit` exports its local one; a fresh one would do too (the demo database is recreated every run).
            ["EVENTKIT_BLE_KEY_ENCRYPTION_KEY"] = Environment.GetEnvironmentVariable("EVENTKIT_BLE_KEY_ENCRYPTION_KEY") is { Length: > 0 } bleKey
                ? bleKey
                : Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)),
            // A fresh database restarts ids at 1: a key prefix of this run keeps older cache entries out.
            ["EventKit__Caching__KeyPrefix"] = $"demo-{runId}:",
            // The synthetic wave sends a popular attendee's repeat scans to one gate far faster than a physical
            // gate scans; the per-gate limit (default 1,000/s) is lifted so the report measures the pipeline.
            ["EventKit__Api__GateRateLimitPerSecond"] = "0",

            // Request-id answers live in Redis for the idempotency window (24 h by default): a synthetic run of millions
            // of scans would leave gigabytes behind in the local Redis. Ten minutes covers the run's own replays.
            ["EventKit__IdempotencyWindow"] = "00:10:00",
            ["ASPNETCORE_ENVIRONMENT"] = "Production",
            ["Logging__LogLevel__Default"] = "Warning",
        };

    private async Task<int> FloodBleAsync(SampleHostProcess host, BleSimulator ble, CancellationToken cancellationToken)
    {
        const int LinesPerReport = 1_000;
        AnsiConsole.MarkupLine($"{options.Connections} gateways post NDJSON reports of {LinesPerReport:N0} sightings for {options.Duration.TotalSeconds:N0} s.");
        var cpuBefore = host.ProcessorTime();
        var elapsed = await ble.FloodAsync(options.Duration, options.Connections, LinesPerReport, cancellationToken).ConfigureAwait(false);
        var cpu = host.ProcessorTime() - cpuBefore;
        var table = new Table().Title("[bold]BLE ingestion[/]").AddColumns("metric", "value");
        table.AddRow("reports", $"{ble.Reports:N0} ({ble.FailedReports:N0} failed)");
        table.AddRow("sightings per second (T10 ≥ 100,000)", $"{ble.Sightings / elapsed.TotalSeconds:N0}");
        table.AddRow("sightings / resolved / rejected", $"{ble.Sightings:N0} / {ble.Resolved:N0} / {ble.Rejected:N0}");
        table.AddRow("admissions (one per phone at its gate)", $"{ble.Admitted:N0} of {ble.Phones:N0} phones");
        table.AddRow("host CPU per sighting", $"{cpu.TotalMicroseconds / Math.Max(1, ble.Sightings):N2} µs");
        AnsiConsole.Write(table);
        return ble.FailedReports == 0 ? 0 : 1;
    }

    /// <summary>The host's working set every 5 s while the load runs (T11: steady, no growth).</summary>
    private static async Task<List<long>> SampleMemoryAsync(SampleHostProcess host, CancellationToken cancellationToken)
    {
        var samples = new List<long>();
        try
        {
            while (true)
            {
                samples.Add(host.WorkingSetBytes());
                await Task.Delay(TimeSpan.FromSeconds(5), cancellationToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException)
        {
            return samples;
        }
    }

    /// <summary>
    /// The scans of a run. <paramref name="byGatePath"/>: each goes to <c>api/v1/gates/{gateId}/checkins</c> (the gate in the
    /// path, so a balancer can route it to the gate's owner) instead of the driver's path; replays go where their first
    /// attempt went.
    /// </summary>
    private Func<Random, Driver.Worker, byte[]> Scenario(SeededParticipants seeded, long[] gates, bool byGatePath = false)
    {
        var zipf = new Zipf(seeded.Tokens.Length, 1.0);
        var demo = options.Mode == "demo";
        string?[] paths = byGatePath ? [.. gates.Select(GateCheckInPath)] : new string?[gates.Length];
        return (random, worker) =>
        {
            if (worker.RecentCount > 0 && random.NextDouble() < options.ReplayShare)
            {
                var (replay, replayPath) = worker.Recent[random.Next(Math.Min(worker.RecentCount, worker.Recent.Length))];
                worker.Path = replayPath;
                return replay;
            }

            string token;
            int gate;
            if (random.NextDouble() < options.UnknownShare)
            {
                token = "UNKNOWN-" + random.Next().ToString(CultureInfo.InvariantCulture);
                gate = random.Next(gates.Length);
            }
            else if (demo)
            {
                // An arrival wave: popular attendees are scanned again and again at their gate (Zipf, s = 1).
                var rank = zipf.Next(random);
                token = seeded.Tokens[rank];
                gate = rank % gates.Length;
            }
            else
            {
                // Load: spread over every participant and gate, so nearly every scan is a durable admission.
                token = seeded.Tokens[random.Next(seeded.Tokens.Length)];
                gate = random.Next(gates.Length);
            }

            var body = Driver.CheckInBody(gates[gate], token, Guid.CreateVersion7());
            worker.Path = paths[gate];
            worker.Recent[worker.RecentCount++ % worker.Recent.Length] = (body, worker.Path);
            return body;
        };
    }

    /// <summary>The check-in route with the gate in the path (<c>POST /api/v1/gates/{gateId}/checkins</c>), relative.</summary>
    internal static string GateCheckInPath(long gateId) => $"api/v1/gates/{gateId.ToString(CultureInfo.InvariantCulture)}/checkins";

    private async Task<DriverResult> DriveAsync(Driver driver, string title, CancellationToken cancellationToken)
    {
        if (!AnsiConsole.Profile.Capabilities.Interactive)
        {
            var lastPrint = TimeSpan.Zero;
            return await driver.RunAsync(options.Duration, s =>
            {
                if (s.Elapsed - lastPrint >= TimeSpan.FromSeconds(5))
                {
                    lastPrint = s.Elapsed;
                    Console.WriteLine($"  {title}: {s.Elapsed.TotalSeconds,5:N0} s  {s.Requests,9:N0} requests  {s.Requests / s.Elapsed.TotalSeconds,8:N0}/s  admitted {s.Admitted:N0}  duplicates {s.Duplicates:N0}  shed {s.Shed:N0}  errors {s.Errors:N0}");
                }
            }, cancellationToken).ConfigureAwait(false);
        }

        DriverResult? result = null;
        var table = new Table().AddColumns("elapsed", "requests", "req/s", "admitted", "duplicates", "shed", "errors");
        await AnsiConsole.Live(table).StartAsync(async context =>
        {
            result = await driver.RunAsync(options.Duration, s =>
            {
                table.Rows.Clear();
                table.AddRow($"{s.Elapsed.TotalSeconds:N0} s", $"{s.Requests:N0}", $"{s.Requests / s.Elapsed.TotalSeconds:N0}", $"{s.Admitted:N0}", $"{s.Duplicates:N0}", $"{s.Shed:N0}", s.Errors == 0 ? "0" : $"[red]{s.Errors:N0}[/]");
                context.Refresh();
            }, cancellationToken).ConfigureAwait(false);
        }).ConfigureAwait(false);
        return result!;
    }

    /// <summary>"host 120 + load generator 40 + … = 190 µs (machine busy 210 µs)": CPU per request by process group.</summary>
    private static string MachineCpuText((IReadOnlyList<(string Group, double Seconds)> Groups, double Machine) cpu, long requests)
    {
        if (cpu.Groups.Count == 0 || requests == 0)
        {
            return "n/a (not Linux)";
        }

        static string Us(double seconds, long requests) => (seconds * 1e6 / requests).ToString("N0", CultureInfo.InvariantCulture);
        var parts = string.Join(" + ", cpu.Groups.Select(g => $"{g.Group} {Us(g.Seconds, requests)}"));
        return $"{parts} = {Us(cpu.Groups.Sum(g => g.Seconds), requests)} µs (whole machine busy: {Us(cpu.Machine, requests)} µs, includes anything else running)";
    }

    private static string RedisPort(string configuration)
    {
        var endpoint = configuration.Split(',')[0];
        var colon = endpoint.LastIndexOf(':');
        return colon < 0 ? "6379" : endpoint[(colon + 1)..];
    }

    private async Task<DriverResult> RunCeilingAsync(SeededParticipants seeded, long[] gates, string redisPort, CancellationToken cancellationToken)
    {
        var port = options.Port + 10;
        var self = Environment.ProcessPath!;
        var startInfo = new ProcessStartInfo(self)
        {
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        if (self.EndsWith("dotnet", StringComparison.Ordinal))
        {
            startInfo.ArgumentList.Add(typeof(LoadRun).Assembly.Location);
        }

        startInfo.ArgumentList.Add("ceiling");
        startInfo.ArgumentList.Add("--port");
        startInfo.ArgumentList.Add(port.ToString(CultureInfo.InvariantCulture));
        using var process = Process.Start(startInfo) ?? throw new InvalidOperationException("Could not start the ceiling endpoint.");
        SampleHostProcess.Track(process);
        try
        {
            await process.StandardOutput.ReadLineAsync(cancellationToken).ConfigureAwait(false);
            AnsiConsole.MarkupLine($"Plain Kestrel ceiling on port {port}: same bodies, same connections, same duration.");
            var ceilingAddress = new Uri($"http://127.0.0.1:{port}/");
            const string ceilingKey = "eks_1_" + "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA";
            await WarmUpAsync(ceilingAddress, seeded, gates, ceilingKey, byGatePath: false, cancellationToken).ConfigureAwait(false);
            var driver = new Driver(ceilingAddress, "api/v1/checkins", options.Connections, Scenario(seeded, gates), ceilingKey);
            process.Refresh();
            var before = process.TotalProcessorTime;
            var machine = new MachineCpu(process.Id, options.Database, redisPort);
            var machineBefore = machine.Take();
            var result = await DriveAsync(driver, "ceiling", cancellationToken).ConfigureAwait(false);
            process.Refresh();
            _ceilingCpu = process.TotalProcessorTime - before;
            _ceilingMachineCpu = MachineCpuText(machine.Take().Since(machineBefore), result.Requests);
            return result;
        }
        finally
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync(CancellationToken.None).ConfigureAwait(false);
        }
    }

    /// <summary>Drives <see cref="LoadOptions.Warmup"/> of the same load, unmeasured; returns the record ids it saw admitted.</summary>
    private async Task<IReadOnlyCollection<Guid>> WarmUpAsync(Uri baseAddress, SeededParticipants seeded, long[] gates, string scannerKey, bool byGatePath, CancellationToken cancellationToken)
    {
        if (options.Warmup <= TimeSpan.Zero)
        {
            return [];
        }

        AnsiConsole.MarkupLine($"Warming up for {options.Warmup.TotalSeconds:N0} s (not measured).");
        var warmup = new Driver(baseAddress, "api/v1/checkins", options.Connections, Scenario(seeded, gates, byGatePath), scannerKey);
        await warmup.RunAsync(options.Warmup, onTick: null, cancellationToken).ConfigureAwait(false);
        return warmup.AdmittedRecordIds;
    }

    private static async Task<JsonDocument?> ReadStatsAsync(HttpClient admin, CancellationToken cancellationToken)
    {
        try
        {
            using var response = await admin.GetAsync("sample/stats", cancellationToken).ConfigureAwait(false);
            return response.IsSuccessStatusCode
                ? JsonDocument.Parse(await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false))
                : null;
        }
        catch (HttpRequestException)
        {
            return null;
        }
    }

    private static string FindRepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "EventKit.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("Run the load test from inside the EventKit repository (./eventkit demo).");
    }
}
