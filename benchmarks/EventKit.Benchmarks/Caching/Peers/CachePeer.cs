namespace EventKit.Benchmarks.Caching.Peers;

/// <summary>
/// One node of one of the compared caches, behind the few calls the workloads need. Every peer caches the same
/// <see cref="Participant"/> with System.Text.Json, 5 min in L1 and L2.
/// </summary>
internal abstract class CachePeer : IDisposable
{
    /// <summary>What a factory returns when the benchmarks count factory runs.</summary>
    public static readonly Participant Fallback = BenchmarkCaches.Participant(999_999_999);

    /// <summary>The expiration every peer uses (L1 and L2).</summary>
    public static readonly TimeSpan Expiration = TimeSpan.FromMinutes(5);

    private int _factoryRuns;

    /// <summary>How often the built-in factory (<see cref="GetAsync(string, bool)"/>) ran.</summary>
    public int FactoryRuns => Volatile.Read(ref _factoryRuns);

    /// <summary>Get-or-create with a built-in factory that returns <see cref="Fallback"/>; <paramref name="skipL1"/> neither reads nor writes L1.</summary>
    public abstract ValueTask<Participant> GetAsync(string key, bool skipL1 = false);

    /// <summary>Get-or-create with the caller's factory.</summary>
    public abstract ValueTask<Participant> GetAsync(string key, Func<CancellationToken, ValueTask<Participant>> factory);

    /// <summary>Writes L1 and L2 (and tells other nodes, where the cache can).</summary>
    public abstract ValueTask SetAsync(string key, Participant value);

    public abstract void Dispose();

    /// <summary>Counts a run of the built-in factory and returns <see cref="Fallback"/>.</summary>
    protected Participant RunFactory()
    {
        Interlocked.Increment(ref _factoryRuns);
        return Fallback;
    }
}
