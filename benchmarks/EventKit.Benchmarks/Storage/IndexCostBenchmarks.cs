using BenchmarkDotNet.Attributes;
using EventKit.Storage;
using EventKit.Storage.Internal;
using EventKit.Storage.Internal.Writer;

namespace EventKit.Benchmarks.Storage;

/// <summary>What each attendance index costs on ingest: 100,000 records through the writer into an empty table with the full index set, or with one index (or all secondary ones) dropped.</summary>
/// <remarks>Compare medians: the shared machine makes single iterations noisy.</remarks>
[MemoryDiagnoser]
[MedianColumn]
[SimpleJob(launchCount: 1, warmupCount: 2, iterationCount: 12, invocationCount: 1)]
public class IndexCostBenchmarks : StorageBenchmark
{
    private const int Rows = 100_000;

    private GroupCommitAttendanceWriter _writer = null!;
    private AttendanceRecord[] _records = [];

    [Params("all", "participant_idx", "gate_idx", "method_idx", "event_gate_idx", "request_idx", "pk only")]
    public string Without { get; set; } = "all";

    [GlobalSetup]
    public async Task SetupAsync()
    {
        await OpenAsync("ek_bench_indexcost");

        // Re-running the (idempotent) migrations restores whatever an earlier case dropped.
        await BenchDatabase.ExecuteAsync(DataSource, "DELETE FROM schema_migrations");
        await PostgresStorageMigrations.ApplyAsync(DataSource);
        foreach (var index in new[] { "participant_idx", "gate_idx", "method_idx", "event_gate_idx", "request_idx" })
        {
            if (Without == "pk only" || Without == index)
            {
                await BenchDatabase.ExecuteAsync(DataSource, $"DROP INDEX {SqlIdentifier.Quote("attendance_records_" + index)}");
            }
        }

        _writer = AttendanceWriter;
        var start = new DateTimeOffset(2026, 11, 20, 8, 0, 0, TimeSpan.Zero);
        _records = new AttendanceRecord[Rows];
        for (var i = 0; i < Rows; i++)
        {
            _records[i] = AttendanceRecord.Create(1, 1 + (i % 20_000), 1 + (i % 20), (CheckInMethod)(i % 4), AttendanceDirection.In, start.AddMilliseconds(i * 53), i % 2 == 0 ? Guid.NewGuid() : null);
        }
    }

    [IterationSetup]
    public void Truncate() => TruncateAttendance();

    [GlobalCleanup]
    public Task CleanupAsync() => CloseAsync();

    [Benchmark(Baseline = true, Description = "writer, 100,000 records")]
    public Task Ingest() => _writer.AppendManyAsync(_records);
}
