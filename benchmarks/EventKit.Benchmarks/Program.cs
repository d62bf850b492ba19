using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Running;

// Suites live in folders mirroring src/: Storage/, Caching/, Ble/, Monitoring/. Each has one [Benchmark(Baseline = true)]
// that is the naive approach the seeds sketch, so every table shows a ratio.
// "peers": the peer rows that are measured loops rather than BenchmarkDotNet benchmarks (Caching/Peers/PeerScenarios.cs).
if (args is ["peers", ..])
{
    await EventKit.Benchmarks.Caching.Peers.PeerScenarios.RunAsync(args);
    return;
}

// "hit-ratio": T6's rows called directly (they measure ratios, not time; BenchmarkDotNet's in-process toolchain refuses
// invocations this long and its out-of-process build times out on a loaded machine).
if (args is ["hit-ratio", ..])
{
    await EventKit.Benchmarks.Caching.HitRatioBenchmarks.RunAllAsync();
    return;
}

// "storage-targets": T7 on 10 M rows and T8 in three runs, as measured loops (Storage/StorageTargets.cs).
if (args is ["storage-targets", ..])
{
    await EventKit.Benchmarks.Storage.StorageTargets.RunAsync(args);
    return;
}

BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args, DefaultConfig.Instance);
