using BenchmarkDotNet.Attributes;
using StackExchange.Redis;

namespace EventKit.Benchmarks.Caching.Peers;

/// <summary>
/// EventKit's cache, Microsoft's HybridCache and FusionCache side by side on the same Redis (EVENTKIT_REDIS), the
/// same value (a participant, System.Text.Json) and the same lifetimes. Run:
/// <c>dotnet run -c Release --project benchmarks/EventKit.Benchmarks -- --filter '*PeerBenchmarks*'</c>;
/// the stampede row prints its factory runs at cleanup ("// {peer}: stampede factory runs: ..."); the rows
/// BenchmarkDotNet cannot express (cross-node invalidation, Redis paused) are
/// <c>dotnet run -c Release --project benchmarks/EventKit.Benchmarks -- peers</c> (<see cref="PeerScenarios"/>).
/// </summary>
[MemoryDiagnoser]
public class PeerBenchmarks
{
    private const int Workers = 64;
    private const int ReadsPerWorker = 16;
    private const int StampedeCallers = 1000;
    private readonly string _prefix = $"ek-bench:peers:{Guid.NewGuid():N}:";
    private readonly Func<CancellationToken, ValueTask<Participant>> _slowFactory;
    private readonly Task<Participant>[] _stampede = new Task<Participant>[StampedeCallers];
    private CachePeer _peer = null!;
    private CachePeer _writer = null!;
    private string[] _keys = [];
    private int _stampedeRuns;
    private int _stampedeKey;
    private long _stampedes;
    private long _stampedeRunsTotal;
    private long _stampedesWithMoreRuns;

    public PeerBenchmarks()
    {
        _slowFactory = async _ =>
        {
            Interlocked.Increment(ref _stampedeRuns);

            // A database read would take about this long: long enough for all callers to arrive while it runs.
            await Task.Delay(1).ConfigureAwait(false);
            return BenchmarkCaches.Participant(7);
        };
    }

    [Params(PeerKind.EventKit, PeerKind.Microsoft, PeerKind.FusionCache)]
    public PeerKind Peer { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var timeout = TimeSpan.FromSeconds(1);
        _writer = CachePeers.Create(Peer, BenchmarkCaches.Redis, _prefix, timeout);
        _peer = CachePeers.Create(Peer, BenchmarkCaches.Redis, _prefix, timeout);
        _keys = [.. Enumerable.Range(0, Workers).Select(i => $"participant:cred:{i}")];
        foreach (var key in _keys)
        {
            _writer.SetAsync(key, BenchmarkCaches.Participant(1)).AsTask().GetAwaiter().GetResult();
        }

        // L1 warm on the reading node for the L1 row; the L2 rows skip L1 by flag.
        foreach (var key in _keys)
        {
            _peer.GetAsync(key).AsTask().GetAwaiter().GetResult();
        }

        if (_peer.FactoryRuns != 0)
        {
            throw new InvalidOperationException($"{Peer}: the reading node ran its factory during setup; L2 did not answer.");
        }
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        var runs = _peer.FactoryRuns;
        _peer.Dispose();
        _writer.Dispose();
        using var redis = ConnectionMultiplexer.Connect(BenchmarkCaches.Redis + ",allowAdmin=true");
        var database = redis.GetDatabase();
        foreach (var endpoint in redis.GetEndPoints())
        {
            foreach (var key in redis.GetServer(endpoint).Keys(pattern: _prefix + "*", pageSize: 1000))
            {
                database.KeyDelete(key, CommandFlags.FireAndForget);
            }
        }

        if (_stampedes > 0)
        {
            Console.WriteLine($"// {Peer}: stampede factory runs: {_stampedeRunsTotal} in {_stampedes} stampedes of {StampedeCallers} callers; {_stampedesWithMoreRuns} stampedes ran it more than once");
        }

        if (runs != 0)
        {
            // An L2 read that failed (timeout) fell back to the factory: the L2 rows would be measuring the wrong thing.
            Console.WriteLine($"// {Peer}: {runs} L2 reads fell back to the factory");
        }
    }

    [Benchmark(Description = "L1 hit")]
    public ValueTask<Participant> L1Hit() => _peer.GetAsync(_keys[0]);

    [Benchmark(Description = "L2 hit, cold L1")]
    public ValueTask<Participant> L2Hit() => _peer.GetAsync(_keys[0], skipL1: true);

    [Benchmark(Description = "L2 hit, 64 concurrent", OperationsPerInvoke = Workers * ReadsPerWorker)]
    public Task L2HitConcurrent()
    {
        var workers = new Task[Workers];
        for (var i = 0; i < workers.Length; i++)
        {
            workers[i] = ReadAsync(_keys[i]);
        }

        return Task.WhenAll(workers);
    }

    [Benchmark(Description = "1,000-way stampede")]
    public async Task Stampede()
    {
        var key = $"stampede:{Interlocked.Increment(ref _stampedeKey)}";
        Volatile.Write(ref _stampedeRuns, 0);
        for (var i = 0; i < _stampede.Length; i++)
        {
            _stampede[i] = _peer.GetAsync(key, _slowFactory).AsTask();
        }

        await Task.WhenAll(_stampede).ConfigureAwait(false);
        var runs = Volatile.Read(ref _stampedeRuns);
        _stampedes++;
        _stampedeRunsTotal += runs;
        if (runs != 1)
        {
            // Reported, not thrown: a second run is a real outcome (a caller that missed L1 just before the first
            // flight wrote it and joined nothing), and the row's factory-run count is what it is for.
            _stampedesWithMoreRuns++;
        }
    }

    private async Task ReadAsync(string key)
    {
        for (var i = 0; i < ReadsPerWorker; i++)
        {
            await _peer.GetAsync(key, skipL1: true).ConfigureAwait(false);
        }
    }
}
