using System.Globalization;
using Spectre.Console;

namespace EventKit.LoadTest;

/// <summary>
/// <c>--overload</c>: the same host and participants driven at <see cref="LoadOptions.BaseConnections"/> and then at
/// <see cref="LoadOptions.Connections"/> in one run (T2), so the surge's figures are compared with the base's on the
/// same machine at nearly the same time, then the plain Kestrel ceiling at the surge's connection count.
/// </summary>
internal sealed partial class LoadRun
{
    private async Task<int> RunOverloadAsync(SampleHostProcess host, string database, SeededParticipants seeded, long[] gates, string scannerKey, string redisPort, CancellationToken cancellationToken)
    {
        var loadBefore = LoadAverage();
        var phases = new List<OverloadPhase>();
        var admitted = new List<Guid>();
        foreach (var connections in new[] { options.BaseConnections, options.Connections })
        {
            AnsiConsole.MarkupLine($"Phase: [bold]{connections:N0}[/] connections for {options.Duration.TotalSeconds:N0} s (load average {Markup.Escape(LoadAverage())}).");
            var driver = new Driver(host.BaseAddress, "api/v1/checkins", connections, Scenario(seeded, gates), scannerKey);
            var cpu = host.ProcessorTime();
            var (outages, poolTimeouts) = CountHostLog(host.LogPath);
            var result = await DriveAsync(driver, $"{connections:N0} connections", cancellationToken).ConfigureAwait(false);
            var (outagesAfter, poolTimeoutsAfter) = CountHostLog(host.LogPath);
            phases.Add(new OverloadPhase(connections, result, host.ProcessorTime() - cpu, outagesAfter - outages, poolTimeoutsAfter - poolTimeouts));
            admitted.AddRange(driver.AdmittedRecordIds);
        }

        var verification = await Verifier.VerifyAsync(database, admitted.Distinct().ToArray(), 0, cancellationToken).ConfigureAwait(false);
        var ceiling = options.SkipCeiling ? null : await RunCeilingAsync(seeded, gates, redisPort, cancellationToken).ConfigureAwait(false);
        var report = new OverloadReport(phases, ceiling, _ceilingCpu, verification, loadBefore, LoadAverage());
        report.Write();
        if (options.Output is { } output)
        {
            await File.WriteAllTextAsync(output, report.ToMarkdown(), cancellationToken).ConfigureAwait(false);
            AnsiConsole.MarkupLine($"Report written to {Markup.Escape(output)}");
        }

        return verification.Holds && phases.TrueForAll(p => p.Result.Errors == 0 && p.PoolTimeouts == 0) ? 0 : 1;
    }

    /// <summary>Lines of the host's log so far: storage outages answered 503 (event 5001) and Npgsql pool exhaustion.</summary>
    private static (long Outages, long PoolTimeouts) CountHostLog(string path)
    {
        long outages = 0, pool = 0;
        try
        {
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
            using var reader = new StreamReader(stream);
            while (reader.ReadLine() is { } line)
            {
                if (line.Contains("Storage outage while serving", StringComparison.Ordinal))
                {
                    outages++;
                }

                if (line.Contains("connection pool has been exhausted", StringComparison.Ordinal))
                {
                    pool++;
                }
            }
        }
        catch (IOException)
        {
        }

        return (outages, pool);
    }

    /// <summary>The 1, 5 and 15 minute load averages (Linux), to show how busy the shared machine was.</summary>
    private static string LoadAverage()
    {
        try
        {
            var parts = File.ReadAllText("/proc/loadavg").Split(' ');
            return string.Join(" / ", parts.Take(3));
        }
        catch (IOException)
        {
            return "n/a";
        }
        catch (UnauthorizedAccessException)
        {
            return "n/a";
        }
    }
}

/// <summary>One phase of an overload run.</summary>
/// <param name="Connections">Concurrent connections.</param>
/// <param name="Result">What the driver saw.</param>
/// <param name="HostCpu">The host's CPU time during the phase.</param>
/// <param name="Outages">Storage outages the host logged (503 storage_unavailable).</param>
/// <param name="PoolTimeouts">Npgsql pool exhaustion in the host's log.</param>
internal sealed record OverloadPhase(int Connections, DriverResult Result, TimeSpan HostCpu, long Outages, long PoolTimeouts)
{
    public string Label => Connections.ToString("N0", CultureInfo.InvariantCulture);
}
