using System.Diagnostics;
using System.Globalization;
using System.Text;
using EventKit.Storage;
using EventKit.Storage.Internal;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace EventKit.Benchmarks.Storage;

/// <summary>
/// T7 and T8 as measured loops (opt-in: <c>dotnet run -c Release --project benchmarks/EventKit.Benchmarks -- storage-targets</c>).
/// <list type="bullet">
/// <item>T7: the four critical queries on <c>--rows</c> attendance records (default 10,000,000; seeded once into
/// <c>ek_bench_critical_{rows}</c> in chunks of 1,000,000 rows and kept for the next run): p50/p99/max per call over
/// <c>--iterations</c> calls each, plus what <see cref="QueryAnalyzer"/> says about each plan (indexes, sequential scans,
/// partitions pruned).</item>
/// <item>T8: page 1,000 of one gate (100 per page) by OFFSET and by keyset cursor over 200,000 records, interleaved call by
/// call so both see the same machine, medians compared; <c>--runs</c> independent runs (default 3).</item>
/// </list>
/// <c>--only t7</c> or <c>--only t8</c> runs one of the two.
/// A BenchmarkDotNet job per query would take tens of minutes on 10 M rows; percentiles need many calls, not many
/// processes. The table goes to the console and to <c>BenchmarkDotNet.Artifacts/storage-targets.md</c>.
/// </summary>
internal static class StorageTargets
{
    private static readonly DateTimeOffset Newest = new(2026, 11, 20, 0, 0, 0, TimeSpan.Zero);

    public static async Task RunAsync(string[] args)
    {
        var rows = Option(args, "--rows", 10_000_000);
        var iterations = Option(args, "--iterations", 2_000);
        var runs = Option(args, "--runs", 3);
        var report = new StringBuilder();
        report.AppendLine(CultureInfo.InvariantCulture, $"# Storage targets, {DateTimeOffset.UtcNow:yyyy-MM-dd HH:mm} UTC, load average {LoadAverage()}");
        report.AppendLine();
        var only = Array.IndexOf(args, "--only") is var at and >= 0 && at + 1 < args.Length ? args[at + 1] : null;
        if (only is not (null or "t7" or "t8"))
        {
            throw new ArgumentException($"--only takes t7 or t8, not '{only}'.", nameof(args));
        }

        if (only is null or "t7")
        {
            await CriticalQueriesAsync(rows, iterations, report);
        }

        if (only is null or "t8")
        {
            await PagingAsync(runs, Math.Max(50, iterations / 10), report);
        }

        Console.WriteLine(report);
        Directory.CreateDirectory("BenchmarkDotNet.Artifacts");
        await File.WriteAllTextAsync(Path.Combine("BenchmarkDotNet.Artifacts", "storage-targets.md"), report.ToString());
    }

    private static async Task CriticalQueriesAsync(int rows, int iterations, StringBuilder report)
    {
        var seedWatch = Stopwatch.StartNew();
        var connectionString = await BenchDatabase.EnsureAsync(string.Create(CultureInfo.InvariantCulture, $"ek_bench_critical_{rows}"), async (provider, ds) =>
        {
            var registry = provider.GetRequiredService<IParticipantRegistry>();
            for (var chunk = 0; chunk < 10; chunk++)
            {
                await registry.RegisterAsync(1, [.. Enumerable.Range(chunk * 10_000, 10_000).Select(i => new NewParticipant($"Person {i}", $"token-{i}", $"p{i}@example.org"))]);
            }

            await BenchDatabase.ExecuteAsync(ds, "INSERT INTO gates (event_id, name, kind) SELECT 1, 'Gate ' || g, 0 FROM generate_series(1, 20) g");
            // One row per ~day of the range first, so maintenance creates the partitions the rows belong to; otherwise
            // 10 M rows land in the default partition and rescuing them is one statement longer than any timeout.
            await BenchDatabase.ExecuteAsync(ds, BenchDatabase.SeedAttendanceSql(rows, 100_000, 200, 1, rows).Replace(
                $"generate_series(1, {rows})", $"generate_series(1, {rows}, {Math.Max(1, rows / 400)})", StringComparison.Ordinal));
            await provider.GetRequiredService<PartitionMaintainer>().RunOnceAsync(CancellationToken.None);

            const int Chunk = 1_000_000;
            for (var start = 0; start < rows; start += Chunk)
            {
                await BenchDatabase.ExecuteAsync(ds, BenchDatabase.SeedAttendanceSql(rows, 100_000, 200, start + 1, Math.Min(rows, start + Chunk)));
                Console.WriteLine($"seeded {Math.Min(rows, start + Chunk):N0} of {rows:N0} rows ({seedWatch.Elapsed.TotalSeconds:F0} s)");
            }
        });
        Console.WriteLine($"database ready in {seedWatch.Elapsed.TotalSeconds:F0} s");

        await using var provider = BenchDatabase.Provider(connectionString);
        var reader = provider.GetRequiredService<IAttendanceReader>();
        var directory = provider.GetRequiredService<IParticipantDirectory>();
        var credential = CredentialHash.Compute("token-4242");
        long total;
        await using (var count = NpgsqlDataSource.Create(connectionString))
        await using (var command = count.CreateCommand("SELECT count(*) FROM attendance_records"))
        {
            total = (long)(await command.ExecuteScalarAsync())!;
        }

        // T = the last hour (a live dashboard's window, as QueryAnalyzer explains them; ≈ 2,100 rows here); the last day
        // (≈ 50,000 rows) is reported too: counting costs in proportion to the rows counted, not to the table.
        var hour = Newest.AddHours(-1);
        var day = Newest.AddDays(-1);
        (string Name, Func<Task> Call)[] queries =
        [
            ("count per gate since T (last hour; 20 gates)", async () => await reader.CountPerGateSinceAsync(hour)),
            ("count at one gate since T (last hour)", async () => await reader.CountAtGateSinceAsync(7, hour)),
            ("(extra) count per gate since the last day", async () => await reader.CountPerGateSinceAsync(day)),
            ("(extra) count at one gate since the last day", async () => await reader.CountAtGateSinceAsync(7, day)),
            ("a participant's records, newest 100", async () => await reader.QueryAsync(new AttendanceQuery { ParticipantId = 4242, Limit = 100 })),
            ("active participant by token hash", async () => await directory.FindByCredentialAsync(credential)),
        ];

        report.AppendLine(CultureInfo.InvariantCulture, $"## T7: the four critical queries on {total:N0} attendance records");
        report.AppendLine();
        report.AppendLine(CultureInfo.InvariantCulture, $"{iterations:N0} calls each after 100 warm-up calls, client-side (round trip included), one caller.");
        report.AppendLine();
        report.AppendLine("| query | p50 | p99 | max | T7 (p99 ≤ 5 ms) |");
        report.AppendLine("|---|---:|---:|---:|---|");
        foreach (var (name, call) in queries)
        {
            for (var i = 0; i < 100; i++)
            {
                await call();
            }

            var samples = new double[iterations];
            for (var i = 0; i < iterations; i++)
            {
                var started = Stopwatch.GetTimestamp();
                await call();
                samples[i] = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
            }

            Array.Sort(samples);
            var p99 = Percentile(samples, 0.99);
            report.AppendLine(CultureInfo.InvariantCulture, $"| {name} | {Percentile(samples, 0.50):F3} ms | {p99:F3} ms | {samples[^1]:F3} ms | {(name.StartsWith('(') ? "—" : p99 <= 5 ? "met" : "**not met**")} |");
        }

        report.AppendLine();
        report.AppendLine("Plans (`QueryAnalyzer.AnalyzeCriticalQueriesAsync`, EXPLAIN ANALYZE on the same data):");
        report.AppendLine();
        report.AppendLine("| query | execution | indexes | sequential scans | partitions scanned / total |");
        report.AppendLine("|---|---:|---|---|---:|");
        foreach (var plan in await provider.GetRequiredService<QueryAnalyzer>().AnalyzeCriticalQueriesAsync())
        {
            report.AppendLine(CultureInfo.InvariantCulture,
                $"| {plan.Name} | {plan.ExecutionTime.TotalMilliseconds:F3} ms | {string.Join(", ", plan.IndexesUsed.Distinct())} | {(plan.SequentialScans.Count == 0 ? "none" : string.Join(", ", plan.SequentialScans))} | {plan.PartitionsScanned} / {plan.PartitionsTotal} |");
        }

        report.AppendLine();
    }

    private static async Task PagingAsync(int runs, int iterations, StringBuilder report)
    {
        const int PageSize = AttendanceQuery.DefaultLimit;
        const int Page = 1_000;
        const int WarmUpCalls = 200;
        var connectionString = await BenchDatabase.EnsureAsync("ek_bench_paging", static (_, ds) =>
            BenchDatabase.ExecuteAsync(ds, BenchDatabase.SeedAttendanceSql(200_000, 20_000, 60).Replace("1 + (g % 20)", "1", StringComparison.Ordinal)));
        await using var provider = BenchDatabase.Provider(connectionString);
        // The baseline goes through the reader's own data source (same pool, same auto-prepare), so the two differ in
        // their SQL only, not in which backend process or connection settings serve them.
        var dataSource = provider.GetRequiredService<StorageDataSources>().Write;
        var reader = provider.GetRequiredService<IAttendanceReader>();

        // The cursor a client holds after reading 999 pages: the last row of page 999.
        string cursor;
        await using (var command = dataSource.CreateCommand("SELECT occurred_at, id FROM attendance_records WHERE gate_id = 1 ORDER BY occurred_at DESC, id DESC OFFSET $1 LIMIT 1"))
        {
            command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = ((Page - 1) * PageSize) - 1 });
            await using var row = await command.ExecuteReaderAsync();
            await row.ReadAsync();
            cursor = KeysetCursor.Encode(KeysetCursor.AttendanceKind, KeysetCursor.Fingerprint(0, 1, DateTime.MinValue.Ticks), row.GetDateTime(0).Ticks, row.GetGuid(1));
        }

        async Task<Guid> OffsetAsync()
        {
            await using var command = dataSource.CreateCommand(
                $"SELECT {Mapping.AttendanceColumns} FROM attendance_records WHERE gate_id = $1 ORDER BY occurred_at DESC, id DESC OFFSET $2 LIMIT $3");
            command.Parameters.Add(new NpgsqlParameter<long> { TypedValue = 1 });
            command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = (Page - 1) * PageSize });
            command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = PageSize });
            var items = await Mapping.ReadAllAsync(command, Mapping.ReadAttendance, CancellationToken.None);
            return items[0].Id;
        }

        async Task<Guid> KeysetAsync() => (await reader.QueryAsync(new AttendanceQuery { GateId = 1, Limit = PageSize, After = cursor })).Items[0].Id;

        // Both must return the same page, or the comparison means nothing.
        if (await OffsetAsync() != await KeysetAsync())
        {
            throw new InvalidOperationException("OFFSET and keyset returned different pages.");
        }

        report.AppendLine("## T8: keyset page 1,000 vs OFFSET page 1,000 (100 per page, one gate's 200,000 records)");
        report.AppendLine();
        report.AppendLine(CultureInfo.InvariantCulture, $"{iterations:N0} calls of each per run, interleaved (OFFSET, keyset, OFFSET, …) after {WarmUpCalls} warm-up calls each (tier-1 JIT of the client's reading code, PostgreSQL's cached plans); medians.");
        report.AppendLine();
        report.AppendLine("| run | OFFSET 99,900 LIMIT 100 | keyset cursor | ratio | T8 (≥ 50×) |");
        report.AppendLine("|---|---:|---:|---:|---|");
        for (var run = 1; run <= runs; run++)
        {
            for (var i = 0; i < WarmUpCalls; i++)
            {
                await OffsetAsync();
                await KeysetAsync();
            }

            var offset = new double[iterations];
            var keyset = new double[iterations];
            for (var i = 0; i < iterations; i++)
            {
                var started = Stopwatch.GetTimestamp();
                await OffsetAsync();
                offset[i] = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
                started = Stopwatch.GetTimestamp();
                await KeysetAsync();
                keyset[i] = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
            }

            Array.Sort(offset);
            Array.Sort(keyset);
            var ratio = Percentile(offset, 0.5) / Percentile(keyset, 0.5);
            report.AppendLine(CultureInfo.InvariantCulture, $"| {run} | {Percentile(offset, 0.5):F2} ms | {Percentile(keyset, 0.5):F3} ms | {ratio:F0}× | {(ratio >= 50 ? "met" : "**not met**")} |");
        }

        report.AppendLine();
    }

    private static double Percentile(double[] sorted, double p) => sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(p * sorted.Length) - 1)];

    private static int Option(string[] args, string name, int fallback)
    {
        var i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length && int.TryParse(args[i + 1], NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) && value > 0
            ? value
            : fallback;
    }

    private static string LoadAverage()
    {
        try
        {
            return File.ReadAllText("/proc/loadavg").Split(' ')[0];
        }
        catch (IOException)
        {
            return "unknown";
        }
    }
}
