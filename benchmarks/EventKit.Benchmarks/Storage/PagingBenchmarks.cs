using BenchmarkDotNet.Attributes;
using EventKit.Storage.Internal;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace EventKit.Benchmarks.Storage;

/// <summary>Page 1,000 (100 per page, the default page size) of one gate's attendance, newest first, over 200,000 records: OFFSET (baseline) vs keyset cursor (target T8: ≥ 50× faster).</summary>
[MemoryDiagnoser]
[SimpleJob(launchCount: 1, warmupCount: 2, iterationCount: 8)]
public class PagingBenchmarks : StorageBenchmark
{
    private const int PageSize = AttendanceQuery.DefaultLimit;
    private const int Page = 1_000;

    private IAttendanceReader _reader = null!;
    private string _cursor = "";

    [GlobalSetup]
    public async Task SetupAsync()
    {
        await OpenAsync("ek_bench_paging", static (_, ds) =>
            BenchDatabase.ExecuteAsync(ds, BenchDatabase.SeedAttendanceSql(200_000, 20_000, 60).Replace("1 + (g % 20)", "1", StringComparison.Ordinal)));
        _reader = Provider.GetRequiredService<IAttendanceReader>();

        // The cursor a client would hold after reading 999 pages.
        await using var command = DataSource.CreateCommand("SELECT occurred_at, id FROM attendance_records WHERE gate_id = 1 ORDER BY occurred_at DESC, id DESC OFFSET $1 LIMIT 1");
        command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = ((Page - 1) * PageSize) - 1 });
        await using var reader = await command.ExecuteReaderAsync();
        await reader.ReadAsync();
        _cursor = KeysetCursor.Encode(KeysetCursor.AttendanceKind, KeysetCursor.Fingerprint(0, 1, DateTime.MinValue.Ticks), reader.GetDateTime(0).Ticks, reader.GetGuid(1));
    }

    [GlobalCleanup]
    public Task CleanupAsync() => CloseAsync();

    [Benchmark(Baseline = true, Description = "OFFSET 99,900 LIMIT 100")]
    public async Task<int> Offset()
    {
        await using var command = DataSource.CreateCommand(
            $"SELECT {Mapping.AttendanceColumns} FROM attendance_records WHERE gate_id = $1 ORDER BY occurred_at DESC, id DESC OFFSET $2 LIMIT $3");
        command.Parameters.Add(new NpgsqlParameter<long> { TypedValue = 1 });
        command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = (Page - 1) * PageSize });
        command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = PageSize });
        return (await Mapping.ReadAllAsync(command, Mapping.ReadAttendance, CancellationToken.None)).Count;
    }

    [Benchmark(Description = "keyset cursor (IAttendanceReader)")]
    public async Task<int> Keyset()
        => (await _reader.QueryAsync(new AttendanceQuery { GateId = 1, Limit = PageSize, After = _cursor })).Items.Count;
}
