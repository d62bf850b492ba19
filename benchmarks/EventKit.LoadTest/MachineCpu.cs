using System.Globalization;

namespace EventKit.LoadTest;

/// <summary>
/// CPU time per process group from <c>/proc</c> (Linux only): the sample host, this load generator, the PostgreSQL
/// backends serving the run's database plus the server's own processes (WAL writer, checkpointer…), the Redis server on
/// the run's port, and the whole machine (<c>/proc/stat</c>, which includes anything else running). A process that
/// starts during the run counts from zero; one that exits during it is lost (PostgreSQL backends live in the host's pool).
/// </summary>
internal sealed class MachineCpu
{
    private static readonly double TicksPerSecond = 100; // USER_HZ: 100 on every Linux ABI .NET runs on.

    private readonly int _hostPid;
    private readonly string _database;
    private readonly string _redisPort;

    public MachineCpu(int hostPid, string database, string redisPort)
    {
        _hostPid = hostPid;
        _database = database;
        _redisPort = redisPort;
    }

    /// <summary>CPU seconds used so far by each group (per process id, so processes that start later can be told apart).</summary>
    public Snapshot Take()
    {
        var perProcess = new Dictionary<int, (string Group, double Seconds)>();
        if (!OperatingSystem.IsLinux())
        {
            return new Snapshot(perProcess, 0);
        }

        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), NumberStyles.None, CultureInfo.InvariantCulture, out var pid))
            {
                continue;
            }

            try
            {
                var group = Classify(pid, File.ReadAllText(Path.Combine(dir, "cmdline")).Replace('\0', ' ').Trim());
                if (group is null)
                {
                    continue;
                }

                var stat = File.ReadAllText(Path.Combine(dir, "stat"));
                // Fields after the command name (which may hold spaces) start after the last ')'; utime and stime are fields 14 and 15.
                var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
                var ticks = long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture);
                perProcess[pid] = (group, ticks / TicksPerSecond);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException or IndexOutOfRangeException)
            {
                // The process exited while being read.
            }
        }

        return new Snapshot(perProcess, MachineSeconds());
    }

    private string? Classify(int pid, string cmdline)
    {
        if (pid == _hostPid)
        {
            return "host";
        }

        if (pid == Environment.ProcessId)
        {
            return "load generator";
        }

        if (cmdline.StartsWith("postgres", StringComparison.Ordinal) || cmdline.Contains("/bin/postgres", StringComparison.Ordinal))
        {
            // A backend's title is "postgres: user database address state"; the server's own processes name their job.
            var parts = cmdline.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            var isBackend = parts.Length >= 4 && parts[0] == "postgres:" && parts[3].Contains('(', StringComparison.Ordinal);
            return !isBackend ? "postgresql (server processes)" : parts[2] == _database ? "postgresql (run's backends)" : null;
        }

        if (cmdline.StartsWith("redis-server", StringComparison.Ordinal) && cmdline.EndsWith(":" + _redisPort, StringComparison.Ordinal))
        {
            return "redis";
        }

        return null;
    }

    private static double MachineSeconds()
    {
        // cpu  user nice system idle iowait irq softirq steal …: busy = all but idle and iowait.
        var line = File.ReadLines("/proc/stat").First();
        var values = line.Split(' ', StringSplitOptions.RemoveEmptyEntries).Skip(1).Select(v => long.Parse(v, CultureInfo.InvariantCulture)).ToArray();
        var busy = values.Sum() - values[3] - (values.Length > 4 ? values[4] : 0);
        return busy / TicksPerSecond;
    }

    /// <summary>CPU seconds per process at one moment, and the machine's busy seconds.</summary>
    internal sealed record Snapshot(Dictionary<int, (string Group, double Seconds)> PerProcess, double Machine)
    {
        /// <summary>CPU seconds per group between <paramref name="before"/> and this snapshot, and the machine's.</summary>
        public (IReadOnlyList<(string Group, double Seconds)> Groups, double Machine) Since(Snapshot before)
        {
            var groups = new Dictionary<string, double>();
            foreach (var (pid, (group, seconds)) in PerProcess)
            {
                var start = before.PerProcess.TryGetValue(pid, out var b) ? b.Seconds : 0;
                groups[group] = groups.GetValueOrDefault(group) + Math.Max(0, seconds - start);
            }

            return (groups.OrderBy(g => g.Key, StringComparer.Ordinal).Select(g => (g.Key, g.Value)).ToList(), Machine - before.Machine);
        }
    }
}
