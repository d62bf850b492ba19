using System.Globalization;

namespace EventKit.LoadTest;

/// <summary>Command-line settings of the demo and the load test.</summary>
internal sealed class LoadOptions
{
    public string Mode { get; private set; } = "demo";

    public TimeSpan Duration { get; private set; } = TimeSpan.FromSeconds(60);

    public int Participants { get; private set; } = 100_000;

    public int Gates { get; private set; } = 20;

    public int Connections { get; private set; } = 64;

    public double UnknownShare { get; private set; } = 0.03;

    public double RevokedShare { get; private set; } = 0.01;

    public double ReplayShare { get; private set; } = 0.01;

    public int Port { get; private set; } = 5080;

    public int BlePhones { get; private set; } = 1000;

    public bool Serve { get; private set; }

    public bool SkipCeiling { get; private set; }

    /// <summary>
    /// Load mode: seconds of the same load, not measured, before the measured run — for the host and for the ceiling alike,
    /// so both are compared after JIT tiering, pool growth and cache fill rather than during them (load 10, demo 0).
    /// </summary>
    public TimeSpan Warmup { get; private set; } = TimeSpan.Zero;

    /// <summary>Load mode: <see cref="BaseConnections"/> first, then <see cref="Connections"/> (10,000 unless given), in one run.</summary>
    public bool Overload { get; private set; }

    /// <summary>The first phase of <see cref="Overload"/>: the figure the surge is compared with.</summary>
    public int BaseConnections { get; private set; } = 256;

    /// <summary>
    /// Load mode: two sample hosts, one with monitoring on and one without, driven in turn (A/B/B/A, four times) in one run;
    /// reports check-ins/s and host CPU per check-in of each and their ratio.
    /// </summary>
    public bool MonitoringAb { get; private set; }

    /// <summary>How many phases <c>--monitoring-ab</c> alternates (A B B A blocks of four; 8 by default).</summary>
    public int AbPhases { get; private set; } = 8;

    public string? Output { get; private set; }

    /// <summary>
    /// More than 1 runs that many sample hosts behind the YARP gateway sample (gateway on <see cref="Port"/>, nodes on the
    /// ports after it). Demo: the wave through the gateway, one node SIGKILLed half-way. Load: T1 through the gateway per
    /// <see cref="Claims"/> path, then the ceiling.
    /// </summary>
    public int Nodes { get; private set; } = 1;

    /// <summary>
    /// Which check-in claims the hosts use — <c>redis</c> (shared claims in Redis, the default), <c>gate-owned</c> (the
    /// gate-owned fast path) or <c>both</c> (load mode: one pass each, then one ceiling). With <see cref="Nodes"/> the
    /// gate-owned scanners post to <c>/api/v1/gates/{gateId}/checkins</c>, which the gateway routes to the gate's owner.
    /// </summary>
    public string Claims { get; set; } = "redis";

    /// <summary>The database each run drops and recreates (another name lets runs on one PostgreSQL server not collide).</summary>
    public string Database { get; private set; } = "eventkit_demo";

    /// <summary>Demo with <see cref="Nodes"/>: the autoscaler's executor starts one more node under load and stops it after (no kill).</summary>
    public bool Autoscale { get; private set; }

    public static LoadOptions Parse(string[] args)
    {
        var options = new LoadOptions();
        var i = 0;
        if (args.Length > 0 && !args[0].StartsWith('-'))
        {
            options.Mode = args[0] switch
            {
                "demo" or "load" or "ble" => args[0],
                _ => throw new ArgumentException($"Unknown mode '{args[0]}'. Use 'demo', 'load' or 'ble'."),
            };
            i = 1;
        }

        if (options.Mode == "ble")
        {
            options.Connections = 16;
            options.Duration = TimeSpan.FromSeconds(20);
            options.Participants = 20_000;
            options.BlePhones = 2_000;
        }

        if (options.Mode == "load")
        {
            options.Connections = 256;
            options.Duration = TimeSpan.FromSeconds(30);
            options.Participants = 20_000;
            options.BlePhones = 0;
            options.Warmup = TimeSpan.FromSeconds(10);
        }

        var claimsGiven = false;
        var connectionsGiven = false;
        var durationGiven = false;
        var abPhasesGiven = false;
        for (; i < args.Length; i++)
        {
            var name = args[i];
            string Value() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{name} needs a value.");
            switch (name)
            {
                case "--duration": options.Duration = TimeSpan.FromSeconds(Positive(name, Value())); durationGiven = true; break;
                case "--participants": options.Participants = Positive(name, Value()); break;
                case "--gates": options.Gates = Positive(name, Value()); break;
                case "--connections": options.Connections = Positive(name, Value()); connectionsGiven = true; break;
                case "--overload": options.Overload = true; break;
                case "--monitoring-ab": options.MonitoringAb = true; break;
                case "--ab-phases": options.AbPhases = Positive(name, Value()); abPhasesGiven = true; break;
                case "--base-connections": options.BaseConnections = Positive(name, Value()); break;
                case "--unknown-share": options.UnknownShare = Share(name, Value()); break;
                case "--revoked-share": options.RevokedShare = Share(name, Value()); break;
                case "--replay-share": options.ReplayShare = Share(name, Value()); break;
                case "--port": options.Port = Positive(name, Value()); break;
                case "--ble-phones": options.BlePhones = NonNegative(name, Value()); break;
                case "--serve": options.Serve = true; break;
                case "--no-ceiling": options.SkipCeiling = true; break;
                case "--warmup": options.Warmup = TimeSpan.FromSeconds(NonNegative(name, Value())); break;
                case "--output": options.Output = Value(); break;
                case "--nodes": options.Nodes = Positive(name, Value()); break;
                case "--database": options.Database = DatabaseName(Value()); break;
                case "--autoscale": options.Autoscale = true; break;
                case "--claims":
                    claimsGiven = true;
                    options.Claims = Value() switch
                    {
                        var c and ("redis" or "gate-owned" or "both") => c,
                        var c => throw new ArgumentException($"--claims takes redis, gate-owned or both (was '{c}')."),
                    };
                    break;
                case "-h" or "--help": throw new ArgumentException(Usage);
                default: throw new ArgumentException($"Unknown option '{name}'.\n{Usage}");
            }
        }

        if (options.Nodes > 1)
        {
            if (options.Mode == "ble" || options.Nodes > 9)
            {
                throw new ArgumentException("--nodes N (2 to 9) belongs to demo mode (./eventkit demo --nodes 3) or to load mode (./eventkit loadtest --nodes 3 --claims both).");
            }

            if (options.Mode == "load" && (options.Overload || options.MonitoringAb || options.Serve))
            {
                throw new ArgumentException("--nodes in load mode measures T1 through the gateway per claims path; it does not combine with --overload, --monitoring-ab or --serve.");
            }
        }

        if (options.Autoscale && (options.Nodes < 2 || options.Mode != "demo"))
        {
            throw new ArgumentException("--autoscale belongs to the multi-node demo (./eventkit demo --nodes 3 --autoscale).");
        }

        if (claimsGiven)
        {
            switch (options.Mode)
            {
                case "load" when options.Overload || options.MonitoringAb:
                    throw new ArgumentException("--claims does not combine with --overload or --monitoring-ab (they run the shared Redis claims).");
                case "demo" when options.Nodes < 2:
                    throw new ArgumentException("--claims in demo mode belongs to the multi-node demo (./eventkit demo --nodes 3 --claims gate-owned).");
                case "demo" when options.Claims == "both":
                    throw new ArgumentException("The demo runs one claims path: --claims redis or --claims gate-owned (both belongs to load mode: ./eventkit loadtest --nodes 3 --claims both).");
                case "ble":
                    throw new ArgumentException("--claims belongs to load mode (./eventkit loadtest --claims both) or the multi-node demo.");
            }
        }

        if (options.Overload)
        {
            if (options.Mode != "load")
            {
                throw new ArgumentException("--overload belongs to load mode (./eventkit loadtest --overload).");
            }

            options.Connections = connectionsGiven ? options.Connections : 10_000;
        }

        if (options.MonitoringAb)
        {
            if (options.Mode != "load" || options.Overload || options.Serve)
            {
                throw new ArgumentException("--monitoring-ab belongs to load mode without --overload or --serve (./eventkit loadtest --monitoring-ab).");
            }

            // Eight phases (A/B/B/A twice over) after a warm-up of each host: 20 s each by default.
            options.Duration = durationGiven ? options.Duration : TimeSpan.FromSeconds(160);
            if (options.AbPhases % 4 != 0 || options.Duration / options.AbPhases < TimeSpan.FromSeconds(5))
            {
                throw new ArgumentException($"--ab-phases must be a multiple of 4 (A B B A blocks) with phases of at least 5 s (--duration / --ab-phases); got {options.AbPhases} phases of {options.Duration.TotalSeconds / options.AbPhases:0.#} s.");
            }
        }
        else if (abPhasesGiven)
        {
            throw new ArgumentException("--ab-phases belongs to --monitoring-ab (./eventkit loadtest --monitoring-ab --ab-phases 24).");
        }

        return options;
    }

    public const string Usage = """
        usage: EventKit.LoadTest [demo|load] [options]
          demo (default)        seed 100,000 participants and 20 gates, drive a 60 s arrival wave, report
          load                  the same against 256 connections, side by side with a plain Kestrel endpoint
          ble                   BLE gateway ingestion: 16 senders post NDJSON reports of 1,000 sightings (T10)
          --duration S          seconds of load (demo 60, load 30)
          --participants N      participants to seed (demo 100000, load 20000)
          --gates N             gates to create (20)
          --connections N       concurrent HTTP connections (demo 64, load 256; up to 10000)
          --unknown-share F     share of scans with unknown tokens (0.03)
          --revoked-share F     share of participants seeded as revoked (0.01)
          --replay-share F      share of scans that replay an earlier request id (0.01)
          --port N              the sample host's port (5080)
          --ble-phones N        phones walking up to simulated BLE gateways (demo 1000, load 0)
          --serve               keep the host running after the report
          --no-ceiling          load mode: skip the plain Kestrel ceiling
          --warmup S            seconds of unmeasured load before the measured run, host and ceiling alike (load 10, demo 0)
          --overload            load mode: --base-connections (256), then --connections (10000) in one run; shed
                                answers (503/429 with Retry-After) counted apart, throughput ratio, pool timeouts,
                                then the plain Kestrel ceiling at --connections (T2)
          --base-connections N  the first phase of --overload (256)
          --monitoring-ab       load mode: two sample hosts, monitoring on (AddMonitoring) and off, driven in turn in
                                eight phases (A/B/B/A twice) of --duration / 8 (default 160 s) after a 30 s warm-up of each;
                                check-ins/s, host CPU per check-in and the on/off ratio
          --ab-phases N         --monitoring-ab: phases to alternate, a multiple of 4 (8); more, shorter phases let the
                                median of the A B B A blocks set aside a step in the machine's speed
          --nodes N             demo: N sample hosts (2-9, ports after --port) behind the YARP gateway sample (on --port),
                                one SIGKILLed half-way; failed requests are retried with the same requestId; reports
                                throughput before/after, failover seconds, errors by status, lost and duplicate check-ins,
                                L1 invalidation propagation, BLE reports by gate owner, the leader and ownership moves
                                load: T1 through the gateway to N hosts, per --claims path (fresh database, nodes and
                                gateway each), then the ceiling once; check-ins/s, ratio, p50/p99, CPU per check-in of
                                the hosts and of the gateway, verified, duplicate admissions
          --autoscale           with --nodes: no kill; the leader's autoscaler (short windows) asks the demo to start
                                one more node under load and to stop it after; reports the recorded load curve
          --claims C            load: redis (shared claims, default), gate-owned (the gate-owned fast path; gates are
                                taken and one re-entry window waited before the drive) or both (a pass of each, then
                                the ceiling; check-ins/s, ratio and CPU per check-in side by side); with --nodes the
                                gate-owned scanners post to /api/v1/gates/{gateId}/checkins, routed to the gate's owner
                                demo --nodes N: redis (default) or gate-owned (scanners post to the gate's path)
          --output FILE         also write the report as Markdown to FILE
          --database NAME       the database to drop, recreate and load (eventkit_demo)
        """;

    private static string DatabaseName(string text)
        => text.Length is > 0 and <= 63 && text.All(c => c is (>= 'a' and <= 'z') or (>= '0' and <= '9') or '_') && text[0] is >= 'a' and <= 'z'
            ? text
            : throw new ArgumentException($"--database must be a lower-case identifier (was '{text}').");

    private static int Positive(string name, string text)
        => int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value > 0
            ? value
            : throw new ArgumentException($"{name} must be a positive integer (was '{text}').");

    private static int NonNegative(string name, string text)
        => int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value)
            ? value
            : throw new ArgumentException($"{name} must be a whole number (was '{text}').");

    private static double Share(string name, string text)
        => double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) && value is >= 0 and <= 1
            ? value
            : throw new ArgumentException($"{name} must be between 0 and 1 (was '{text}').");
}
