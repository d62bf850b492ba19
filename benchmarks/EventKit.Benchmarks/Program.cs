using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Running;

// Suites live in folders mirroring src/: Storage/, Caching/, Ble/, Monitoring/. Each has one [Benchmark(Baseline = true)]
// that is the naive approach the seeds sketch, so every table shows a ratio.
BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args, DefaultConfig.Instance);
