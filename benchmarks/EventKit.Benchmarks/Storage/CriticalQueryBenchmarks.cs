using BenchmarkDotNet.Attributes;
using EventKit.Storage.Internal;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace EventKit.Benchmarks.Storage;

/// <summary>
/// The seeds' four critical queries over 2,000,000 attendance records in three quarterly
/// partitions and 100,000 participants. Baseline: the seed's plain <c>GROUP BY gate_id</c> for
/// per-gate counts, which EventKit replaces with one index-only range scan per gate.
/// </summary>
[MemoryDiagnoser]
[SimpleJob(launchCount: 1, warmupCount: 2, iterationCount: 10)]
public class CriticalQueryBenchmarks : StorageBenchmark
{
    private static readonly DateTimeOffset Newest = new(2026, 11, 20, 0, 0, 0, TimeSpan.Zero);

    private IAttendanceReader _reader = null!;
    private IParticipantDirectory _directory = null!;
    private CredentialHash _credential;

    [GlobalSetup]
    public async Task SetupAsync()
    {
        await OpenAsync("ek_bench_critical", static async (provider, ds) =>
        {
            var registry = provider.GetRequiredService<IParticipantRegistry>();
            for (var chunk = 0; chunk < 10; chunk++)
            {
                await registry.RegisterAsync(1, [.. Enumerable.Range(chunk * 10_000, 10_000).Select(i => new NewParticipant($"Person {i}", $"token-{i}", $"p{i}@example.org"))]);
            }

            await BenchDatabase.ExecuteAsync(ds, "INSERT INTO gates (event_id, name, kind) SELECT 1, 'Gate ' || g, 0 FROM generate_series(1, 20) g");
            await BenchDatabase.ExecuteAsync(ds, BenchDatabase.SeedAttendanceSql(2_000_000, 100_000, 200));
        });
        _reader = Provider.GetRequiredService<IAttendanceReader>();
        _directory = Provider.GetRequiredService<IParticipantDirectory>();
        _credential = CredentialHash.Compute("token-4242");
    }

    [GlobalCleanup]
    public Task CleanupAsync() => CloseAsync();

    [Benchmark(Baseline = true, Description = "seed: GROUP BY gate_id since T (last day)")]
    public async Task<int> CountPerGateGroupBy()
    {
        await using var command = DataSource.CreateCommand("SELECT gate_id, count(*) FROM attendance_records WHERE occurred_at >= $1 GROUP BY gate_id");
        command.Parameters.Add(new NpgsqlParameter<DateTime> { TypedValue = Newest.AddDays(-1).UtcDateTime });
        return (await Mapping.ReadAllAsync(command, static r => r.GetInt64(1), CancellationToken.None)).Count;
    }

    [Benchmark(Description = "count per gate since T (last day)")]
    public async Task<int> CountPerGate() => (await _reader.CountPerGateSinceAsync(Newest.AddDays(-1))).Count;

    [Benchmark(Description = "count at gate since T (last day)")]
    public Task<long> CountAtGate() => _reader.CountAtGateSinceAsync(7, Newest.AddDays(-1));

    [Benchmark(Description = "participant's records, newest 100")]
    public async Task<int> ParticipantPage() => (await _reader.QueryAsync(new AttendanceQuery { ParticipantId = 4242, Limit = 100 })).Items.Count;

    [Benchmark(Description = "active participant by token hash")]
    public async Task<long> ByCredential() => (await _directory.FindByCredentialAsync(_credential))!.Id;
}
