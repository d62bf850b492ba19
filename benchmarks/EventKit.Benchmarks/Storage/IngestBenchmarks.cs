using BenchmarkDotNet.Attributes;
using EventKit.Storage.Internal.Writer;
using Npgsql;

namespace EventKit.Benchmarks.Storage;

/// <summary>
/// Attendance ingest of 2,000 records (the seed's index set in place): one INSERT per record
/// (the naive baseline), the same on 32 connections at once, one NpgsqlBatch, and the group-commit
/// writer fed by 2,000 concurrent callers or one AppendManyAsync. rows/s = 2,000 / mean.
/// </summary>
[MemoryDiagnoser]
[SimpleJob(launchCount: 1, warmupCount: 1, iterationCount: 6, invocationCount: 1)]
public class IngestBenchmarks : StorageBenchmark
{
    private const int Rows = 2_000;
    private const string Insert = "INSERT INTO attendance_records (id, event_id, participant_id, gate_id, method, direction, credential_kind, occurred_at, request_id) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)";

    private GroupCommitAttendanceWriter _writer = null!;
    private AttendanceRecord[] _records = [];

    [GlobalSetup]
    public async Task SetupAsync()
    {
        await OpenAsync("ek_bench_ingest", rawOptions: ";Maximum Pool Size=64");
        _writer = AttendanceWriter;
    }

    [IterationSetup]
    public void NewRecords()
    {
        var now = DateTimeOffset.UtcNow;
        _records = new AttendanceRecord[Rows];
        for (var i = 0; i < Rows; i++)
        {
            _records[i] = AttendanceRecord.Create(1, 1 + (i % 5000), 1 + (i % 20), CheckInMethod.Qr, AttendanceDirection.In, now.AddMilliseconds(-i));
        }
    }

    [GlobalCleanup]
    public async Task CleanupAsync()
    {
        TruncateAttendance();
        await CloseAsync();
    }

    [Benchmark(Baseline = true, Description = "per-row INSERT, sequential")]
    public async Task PerRowInsert()
    {
        await using var connection = await DataSource.OpenConnectionAsync();
        foreach (var r in _records)
        {
            await using var command = new NpgsqlCommand(Insert, connection);
            Bind(command.Parameters, r);
            await command.ExecuteNonQueryAsync();
        }
    }

    [Benchmark(Description = "per-row INSERT, 32 connections")]
    public Task PerRowInsertConcurrent()
        => Parallel.ForEachAsync(_records, new ParallelOptions { MaxDegreeOfParallelism = 32 }, async (r, ct) =>
        {
            await using var command = DataSource.CreateCommand(Insert);
            Bind(command.Parameters, r);
            await command.ExecuteNonQueryAsync(ct);
        });

    [Benchmark(Description = "NpgsqlBatch of 2,000 INSERTs")]
    public async Task Batch()
    {
        await using var batch = DataSource.CreateBatch();
        foreach (var r in _records)
        {
            var command = new NpgsqlBatchCommand(Insert);
            Bind(command.Parameters, r);
            batch.BatchCommands.Add(command);
        }

        await batch.ExecuteNonQueryAsync();
    }

    [Benchmark(Description = "writer, 2,000 concurrent AppendAsync")]
    public Task WriterConcurrentCallers()
    {
        var tasks = new Task[Rows];
        for (var i = 0; i < Rows; i++)
        {
            tasks[i] = _writer.AppendAsync(_records[i]).AsTask();
        }

        return Task.WhenAll(tasks);
    }

    [Benchmark(Description = "writer, one AppendManyAsync")]
    public Task WriterAppendMany() => _writer.AppendManyAsync(_records);

    private static void Bind(NpgsqlParameterCollection p, AttendanceRecord r)
    {
        p.Add(new NpgsqlParameter<Guid> { TypedValue = r.Id });
        p.Add(new NpgsqlParameter<long> { TypedValue = r.EventId });
        p.Add(new NpgsqlParameter<long> { TypedValue = r.ParticipantId });
        p.Add(new NpgsqlParameter<long> { TypedValue = r.GateId });
        p.Add(new NpgsqlParameter<short> { TypedValue = (short)r.Method });
        p.Add(new NpgsqlParameter<short> { TypedValue = (short)r.Direction });
        p.Add(new NpgsqlParameter<short> { TypedValue = (short)r.CredentialKind });
        p.Add(new NpgsqlParameter<DateTime> { TypedValue = r.OccurredAt.UtcDateTime });
        p.Add(new NpgsqlParameter { Value = DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Uuid });
    }
}
