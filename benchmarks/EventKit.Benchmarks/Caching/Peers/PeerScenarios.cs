using System.Diagnostics;
using System.Globalization;
using EventKit.Testing;

namespace EventKit.Benchmarks.Caching.Peers;

/// <summary>
/// The peer rows BenchmarkDotNet cannot express, as measured loops: cross-node invalidation (time until another
/// node serves a value set on the first, p50/p99 over 1,000 changes) and reads while Redis is frozen with SIGSTOP
/// (a private redis-server, never the shared one; every key is read once, until the window ends or 20,000 keys are read). Run:
/// <c>dotnet run -c Release --project benchmarks/EventKit.Benchmarks -- peers [changes]</c>.
/// </summary>
internal static class PeerScenarios
{
    private static readonly TimeSpan NotSeenAfter = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan PauseWindow = TimeSpan.FromSeconds(8);
    private const int PausedReaders = 16;

    public static async Task RunAsync(string[] args)
    {
        var changes = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 1000;
        var kinds = Enum.GetValues<PeerKind>();
        Console.WriteLine($"Cross-node invalidation: {changes} changes; node A sets, node B reads until it serves the new value (timed from the start of the set; 'never' = not within {NotSeenAfter.TotalSeconds:0} s).");
        Console.WriteLine();
        Console.WriteLine("| peer | seen | p50 | p99 | max |");
        Console.WriteLine("|---|---|---|---|---|");
        foreach (var kind in kinds)
        {
            Console.WriteLine(await InvalidationAsync(kind, changes));
        }

        Console.WriteLine();
        Console.WriteLine($"Reads while Redis is paused (SIGSTOP for {PauseWindow.TotalSeconds:0} s, private redis-server): {PausedReaders} readers on a node with a cold L1, each reading keys that are in L2; latency from the call to its answer.");
        Console.WriteLine();
        Console.WriteLine("| peer | reads | errors | from factory | p50 | p99 | max |");
        Console.WriteLine("|---|---|---|---|---|---|---|");
        await using var server = await DedicatedRedisServer.StartNewAsync();
        foreach (var kind in kinds)
        {
            Console.WriteLine(await PausedAsync(kind, server));
        }

        Console.WriteLine();
        Console.WriteLine("Redis commands per L2 hit with a cold L1 (private redis-server, total_commands_processed over 1,000 sequential reads):");
        Console.WriteLine();
        Console.WriteLine("| peer | commands per read |");
        Console.WriteLine("|---|---|");
        foreach (var kind in kinds)
        {
            Console.WriteLine(await CommandsPerReadAsync(kind, server));
        }
    }

    private static async Task<string> CommandsPerReadAsync(PeerKind kind, DedicatedRedisServer server)
    {
        const int reads = 1000;
        var prefix = $"ek-bench:commands:{Guid.NewGuid():N}:";
        using var writer = CachePeers.Create(kind, server.Configuration, prefix, TimeSpan.FromSeconds(1));
        using var reader = CachePeers.Create(kind, server.Configuration, prefix, TimeSpan.FromSeconds(1));
        await writer.SetAsync("k", BenchmarkCaches.Participant(1));
        await reader.GetAsync("k", skipL1: true);
        using var admin = await StackExchange.Redis.ConnectionMultiplexer.ConnectAsync(server.Configuration + ",allowAdmin=true");
        var before = await CommandsAsync(admin);
        for (var i = 0; i < reads; i++)
        {
            await reader.GetAsync("k", skipL1: true);
        }

        // The INFO call itself counts once.
        var after = await CommandsAsync(admin) - 1;
        return $"| {kind} | {(after - before) / (double)reads:0.00} |";
    }

    private static async Task<long> CommandsAsync(StackExchange.Redis.ConnectionMultiplexer admin)
    {
        var info = await admin.GetServer(admin.GetEndPoints()[0]).InfoAsync("stats");
        return long.Parse(info.SelectMany(g => g).First(p => p.Key == "total_commands_processed").Value, CultureInfo.InvariantCulture);
    }

    private static async Task<string> InvalidationAsync(PeerKind kind, int changes)
    {
        var prefix = $"ek-bench:inval:{Guid.NewGuid():N}:";
        // EventKit's L2 budget raised to 1 s as in the BenchmarkDotNet rows: a read that timed out on the loaded machine
        // would run B's factory, whose placeholder value would then stand in for the change being timed.
        using var a = CachePeers.Create(kind, BenchmarkCaches.Redis, prefix, TimeSpan.FromSeconds(1));
        using var b = CachePeers.Create(kind, BenchmarkCaches.Redis, prefix, TimeSpan.FromSeconds(1));
        const string key = "participant:cred:changing";
        await a.SetAsync(key, BenchmarkCaches.Participant(1_000_000));
        await b.GetAsync(key);

        // Let subscriptions settle before the first change.
        await Task.Delay(500);
        var samples = new List<double>(changes);
        var never = 0;
        for (var i = 1; i <= changes; i++)
        {
            var started = Stopwatch.GetTimestamp();
            await a.SetAsync(key, BenchmarkCaches.Participant(i));
            while (true)
            {
                var seen = await b.GetAsync(key);
                var elapsed = Stopwatch.GetElapsedTime(started);
                if (seen.Id == i)
                {
                    samples.Add(elapsed.TotalMilliseconds);
                    break;
                }

                if (elapsed > NotSeenAfter)
                {
                    never++;
                    break;
                }

                await Task.Yield();
            }

            if (never >= 3 && samples.Count == 0)
            {
                // Three changes in a row never reached node B: it has no way to learn of them (no backplane).
                return $"| {kind} | never (0 of {i}) | – | – | – |";
            }
        }

        await CleanAsync(BenchmarkCaches.Redis, prefix);
        return $"| {kind} | {samples.Count} of {changes} | {Percentile(samples, 0.50):0.00} ms | {Percentile(samples, 0.99):0.00} ms | {samples.Max():0.00} ms |";
    }

    private static async Task<string> PausedAsync(PeerKind kind, DedicatedRedisServer server)
    {
        var prefix = $"ek-bench:paused:{Guid.NewGuid():N}:";

        // Every peer with its defaults here (EventKit: 50 ms L2 budget + circuit breaker; the others: the Redis client's timeouts).
        using var writer = CachePeers.Create(kind, server.Configuration, prefix);
        using var reader = CachePeers.Create(kind, server.Configuration, prefix);
        // Each key is read once (a second read would be an L1 hit), so L2 holds more than the readers can get through.
        const int keys = 20_000;
        for (var start = 0; start < keys; start += 500)
        {
            await Task.WhenAll(Enumerable.Range(start, 500).Select(i => writer.SetAsync($"k:{i}", BenchmarkCaches.Participant(i + 1)).AsTask()));
        }

        await reader.GetAsync("warm-up");
        var next = -1;
        var errors = 0;
        var latencies = new List<double>[PausedReaders];
        using var window = new CancellationTokenSource();
        await server.PauseAsync();
        window.CancelAfter(PauseWindow);
        var readers = new Task[PausedReaders];
        for (var r = 0; r < readers.Length; r++)
        {
            var mine = latencies[r] = [];
            readers[r] = Task.Run(async () =>
            {
                while (!window.IsCancellationRequested)
                {
                    var index = Interlocked.Increment(ref next);
                    if (index >= keys)
                    {
                        break;
                    }

                    var key = $"k:{index}";
                    var started = Stopwatch.GetTimestamp();
                    try
                    {
                        await reader.GetAsync(key);
                    }
                    catch (Exception)
                    {
                        Interlocked.Increment(ref errors);
                    }

                    mine.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
                }
            });
        }

        try
        {
            await Task.Delay(PauseWindow);
        }
        finally
        {
            await server.ResumeAsync();
        }

        await Task.WhenAll(readers);
        var all = latencies.SelectMany(l => l).ToList();
        await CleanAsync(server.Configuration, prefix);
        return $"| {kind} | {all.Count:N0} | {errors} | {reader.FactoryRuns - 1:N0} | {Percentile(all, 0.50):0.00} ms | {Percentile(all, 0.99):0.00} ms | {all.Max():0.00} ms |";
    }

    private static double Percentile(List<double> samples, double p)
    {
        if (samples.Count == 0)
        {
            return double.NaN;
        }

        var sorted = samples.Order().ToArray();
        return sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(p * sorted.Length) - 1)];
    }

    private static async Task CleanAsync(string redis, string prefix)
    {
        using var connection = await StackExchange.Redis.ConnectionMultiplexer.ConnectAsync(redis + ",allowAdmin=true");
        var database = connection.GetDatabase();
        foreach (var endpoint in connection.GetEndPoints())
        {
            await foreach (var key in connection.GetServer(endpoint).KeysAsync(pattern: prefix + "*", pageSize: 1000))
            {
                await database.KeyDeleteAsync(key);
            }
        }
    }
}
