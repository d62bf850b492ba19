using BenchmarkDotNet.Attributes;
using Microsoft.Extensions.DependencyInjection;

namespace EventKit.Benchmarks.Storage;

/// <summary>100 participants: one query per id (N+1, baseline) vs one <c>= ANY($1)</c> query; and their attendance summaries likewise.</summary>
[MemoryDiagnoser]
[SimpleJob(launchCount: 1, warmupCount: 2, iterationCount: 8)]
public class BatchReadBenchmarks : StorageBenchmark
{
    private IParticipantDirectory _directory = null!;
    private IAttendanceReader _reader = null!;
    private long[] _ids = [];

    [GlobalSetup]
    public async Task SetupAsync()
    {
        await OpenAsync("ek_bench_batch", static async (provider, ds) =>
        {
            var registry = provider.GetRequiredService<IParticipantRegistry>();
            await registry.RegisterAsync(1, [.. Enumerable.Range(0, 10_000).Select(i => new NewParticipant($"Person {i}", $"token-{i}", $"p{i}@example.org"))]);
            await BenchDatabase.ExecuteAsync(ds, BenchDatabase.SeedAttendanceSql(200_000, 10_000, 30));
        });
        _directory = Provider.GetRequiredService<IParticipantDirectory>();
        _reader = Provider.GetRequiredService<IAttendanceReader>();
        _ids = [.. Enumerable.Range(0, 100).Select(i => 1L + (i * 97))];
    }

    [GlobalCleanup]
    public Task CleanupAsync() => CloseAsync();

    [Benchmark(Baseline = true, Description = "participants: N+1 (100 queries)")]
    public async Task<int> ParticipantsOneByOne()
    {
        var found = 0;
        foreach (var id in _ids)
        {
            found += await _directory.GetAsync(id) is null ? 0 : 1;
        }

        return found;
    }

    [Benchmark(Description = "participants: = ANY($1)")]
    public async Task<int> ParticipantsAtOnce() => (await _directory.GetManyAsync(_ids)).Count;

    [Benchmark(Description = "summaries: N+1 (100 queries)")]
    public async Task<long> SummariesOneByOne()
    {
        long total = 0;
        foreach (var id in _ids)
        {
            total += (await _reader.GetSummariesAsync([id]))[0].Count;
        }

        return total;
    }

    [Benchmark(Description = "summaries: one query")]
    public async Task<long> SummariesAtOnce()
    {
        long total = 0;
        foreach (var s in await _reader.GetSummariesAsync(_ids))
        {
            total += s.Count;
        }

        return total;
    }
}
