using System.Diagnostics;
using System.Globalization;
using System.Text;
using BenchmarkDotNet.Attributes;
using EventKit.Storage.Internal.Writer;
using Npgsql;

namespace EventKit.Benchmarks.Storage;

/// <summary>
/// Target T3: the group-commit writer vs <c>psql \copy</c> (baseline) of the same 100,000 rows into
/// the same table with the seed's index set, truncated before each iteration.
/// </summary>
[MemoryDiagnoser]
[MedianColumn]
[SimpleJob(launchCount: 1, warmupCount: 2, iterationCount: 10, invocationCount: 1)]
public class CopyComparisonBenchmarks : StorageBenchmark
{
    private const int Rows = 100_000;

    private GroupCommitAttendanceWriter _writer = null!;
    private AttendanceRecord[] _records = [];
    private string _csv = "";
    private NpgsqlConnectionStringBuilder _target = null!;

    [GlobalSetup]
    public async Task SetupAsync()
    {
        _target = new NpgsqlConnectionStringBuilder(await OpenAsync("ek_bench_copy"));
        _writer = AttendanceWriter;

        var start = new DateTimeOffset(2026, 11, 20, 8, 0, 0, TimeSpan.Zero);
        _records = new AttendanceRecord[Rows];
        var csv = new StringBuilder();
        for (var i = 0; i < Rows; i++)
        {
            var r = AttendanceRecord.Create(1, 1 + (i % 50_000), 1 + (i % 20), (CheckInMethod)(i % 4), AttendanceDirection.In, start.AddMilliseconds(i * 37));
            _records[i] = r;
            csv.Append(CultureInfo.InvariantCulture, $"{r.Id},{r.EventId},{r.ParticipantId},{r.GateId},{(int)r.Method},{(int)r.Direction},{(int)r.CredentialKind},{r.OccurredAt:O},\n");
        }

        _csv = Path.Combine(Path.GetTempPath(), $"ek-bench-{Environment.ProcessId}.csv");
        await File.WriteAllTextAsync(_csv, csv.ToString());
    }

    [IterationSetup]
    public void Truncate() => TruncateAttendance();

    [GlobalCleanup]
    public async Task CleanupAsync()
    {
        await CloseAsync();
        File.Delete(_csv);
    }

    [Benchmark(Baseline = true, Description = "psql \\copy (CSV, one COPY)")]
    public async Task PsqlCopy()
    {
        var info = new ProcessStartInfo("psql")
        {
            ArgumentList =
            {
                "-X", "-q", "-v", "ON_ERROR_STOP=1", "-h", _target.Host!, "-p", _target.Port.ToString(CultureInfo.InvariantCulture),
                "-U", _target.Username!, "-d", _target.Database!,
                "-c", $"\\copy attendance_records ({GroupCommitAttendanceWriter.Columns}) FROM '{_csv}' WITH (FORMAT csv)",
            },
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.Environment["PGPASSWORD"] = _target.Password;
        using var process = Process.Start(info)!;
        var error = await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException("psql failed: " + error);
        }
    }

    [Benchmark(Description = "group-commit writer, AppendManyAsync")]
    public Task Writer() => _writer.AppendManyAsync(_records);

    [Benchmark(Description = "group-commit writer, 100,000 concurrent AppendAsync")]
    public Task WriterConcurrentCallers()
    {
        var tasks = new Task[Rows];
        for (var i = 0; i < Rows; i++)
        {
            tasks[i] = _writer.AppendAsync(_records[i]).AsTask();
        }

        return Task.WhenAll(tasks);
    }
}
