using System.Text.Json;
using BenchmarkDotNet.Attributes;
using EventKit.Gates.Ble;
using Microsoft.Extensions.DependencyInjection;

namespace EventKit.Benchmarks.Ble;

/// <summary>NDJSON gateway reports: reading alone, and reading + resolve + presence + check-in calls (T10 without HTTP).
/// Per-sighting figures (OperationsPerInvoke = lines in the report).</summary>
[MemoryDiagnoser]
public class NdjsonIngestBenchmarks
{
    private const int Lines = 10_000;
    private byte[] _report = [];
    private BleSightingBatch _batch = null!;
    private ServiceProvider _provider = null!;
    private IBleReportIngestor _ingestor = null!;

    [GlobalSetup]
    public void Setup()
    {
        var identities = BleBenchmarkData.Identities(10_000);
        _report = BleBenchmarkData.Ndjson(BleBenchmarkData.Adverts(identities, 4096), Lines);
        _batch = new BleSightingBatch();

        var services = new ServiceCollection();
        services.AddLogging();
        services.AddSingleton<TimeProvider>(new FixedTimeProvider(BleBenchmarkData.Now.AddSeconds(10)));
        services.AddSingleton<ICheckInService, NoOpCheckInService>();
        services.AddEventKit().AddBleGates(o => o.Gateways["gw"] = 1);
        _provider = services.BuildServiceProvider();
        _provider.GetRequiredService<EddystoneEidResolver>().Load(identities);
        _ingestor = _provider.GetRequiredService<IBleReportIngestor>();
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _batch.Dispose();
        _provider.Dispose();
    }

    /// <summary>A DOM per line and a byte[] per advert.</summary>
    [Benchmark(Baseline = true, OperationsPerInvoke = Lines)]
    public int NaiveJsonDocumentPerLine()
    {
        var count = 0;
        var text = _report.AsSpan();
        while (!text.IsEmpty)
        {
            var newline = text.IndexOf((byte)'\n');
            var line = newline < 0 ? text : text[..newline];
            text = newline < 0 ? default : text[(newline + 1)..];
            using var document = JsonDocument.Parse(line.ToArray());
            var root = document.RootElement;
            var advert = Convert.FromHexString(root.GetProperty("adv").GetString()!);
            _ = root.GetProperty("mac").GetString()!.Replace(":", string.Empty, StringComparison.Ordinal);
            count += advert.Length > 0 && root.GetProperty("rssi").GetInt32() < 0 ? 1 : 0;
        }

        return count;
    }

    /// <summary>The Utf8JsonReader line reader into a reused pooled batch.</summary>
    [Benchmark(OperationsPerInvoke = Lines)]
    public int SpanReader()
    {
        _batch.Clear();
        NdjsonSightingReader.Read(_report, isFinalBlock: true, "gw", 0, _batch);
        return _batch.Count;
    }

    /// <summary>Read, resolve, presence and check-in calls, as the HTTP endpoint runs it.</summary>
    [Benchmark(OperationsPerInvoke = Lines)]
    public async Task<int> IngestEndToEnd()
    {
        var summary = await _ingestor.IngestAsync("gw", BleReportFormat.Ndjson, _report);
        return summary.Resolved;
    }

    private sealed class NoOpCheckInService : ICheckInService
    {
        public ValueTask<CheckInResult> CheckInAsync(CheckInRequest request, CancellationToken cancellationToken = default)
            => ValueTask.FromResult(CheckInResult.Duplicate(Guid.NewGuid(), request.ParticipantId ?? 1, request.GateId, request.OccurredAt ?? DateTimeOffset.UnixEpoch));
    }
}
