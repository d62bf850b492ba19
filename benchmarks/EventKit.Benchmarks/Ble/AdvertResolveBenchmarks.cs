using BenchmarkDotNet.Attributes;
using EventKit.Gates.Ble;
using EventKit.Gates.Ble.Internal;

namespace EventKit.Benchmarks.Ble;

/// <summary>T9: parse + resolve adverts on one core, 10,000 participants with EID keys. Per-advert figures
/// (OperationsPerInvoke = adverts in the set).</summary>
[MemoryDiagnoser]
public class AdvertResolveBenchmarks
{
    private const int AdvertCount = 1024;
    private byte[][] _adverts = [];
    private string[] _hexAdverts = [];
    private Dictionary<string, long> _naiveTable = [];
    private BleCredentialResolver _resolver = null!;
    private EddystoneEidResolver _eids = null!;

    [GlobalSetup]
    public void Setup()
    {
        var identities = BleBenchmarkData.Identities(10_000);
        _adverts = BleBenchmarkData.Adverts(identities, AdvertCount);
        _hexAdverts = Array.ConvertAll(_adverts, Convert.ToHexString);
        _eids = new EddystoneEidResolver(new FixedTimeProvider(BleBenchmarkData.Now));
        _eids.Load(identities);
        var options = new BleGateOptions();
        _resolver = new BleCredentialResolver(_eids, new StaticBeaconMatcher(options), new OptionsBadgeDirectory(Microsoft.Extensions.Options.Options.Create(options)), options);

        // The naive table: EID hex string → participant.
        _naiveTable = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var identity in identities)
        {
            _naiveTable[EddystoneEid.Compute(identity, BleBenchmarkData.Now).ToString("X16", System.Globalization.CultureInfo.InvariantCulture)] = identity.ParticipantId;
        }
    }

    [GlobalCleanup]
    public void Cleanup() => _eids.Dispose();

    /// <summary>What a first version does: hex string → byte[], AD structures into a list with LINQ, the EID as a hex
    /// string, a string-keyed dictionary.</summary>
    [Benchmark(Baseline = true, OperationsPerInvoke = AdvertCount)]
    public int NaiveHexLinqParseAndResolve()
    {
        var resolved = 0;
        foreach (var hex in _hexAdverts)
        {
            var bytes = Convert.FromHexString(hex);
            var structures = new List<(byte Type, byte[] Data)>();
            var offset = 0;
            while (offset < bytes.Length && bytes[offset] != 0 && offset + 1 + bytes[offset] <= bytes.Length)
            {
                structures.Add((bytes[offset + 1], bytes.Skip(offset + 2).Take(bytes[offset] - 1).ToArray()));
                offset += 1 + bytes[offset];
            }

            var eidFrame = structures.FirstOrDefault(s => s.Type == 0x16 && s.Data.Length == 12 && s.Data[0] == 0xAA && s.Data[1] == 0xFE && s.Data[2] == 0x30);
            if (eidFrame.Data is not null && _naiveTable.TryGetValue(Convert.ToHexString(eidFrame.Data.Skip(4).ToArray()), out _))
            {
                resolved++;
            }
        }

        return resolved;
    }

    /// <summary>The library's path: one AD-structure walk over the bytes and one lock-free hash lookup.</summary>
    [Benchmark(OperationsPerInvoke = AdvertCount)]
    public int SpanParseAndResolve()
    {
        var resolved = 0;
        var now = BleBenchmarkData.Now;
        foreach (var advert in _adverts)
        {
            if (_resolver.Resolve(advert, now, out _, out _, out _) == CredentialOutcome.Resolved)
            {
                resolved++;
            }
        }

        return resolved;
    }

    /// <summary>The full parser (every AD type and frame), for comparison.</summary>
    [Benchmark(OperationsPerInvoke = AdvertCount)]
    public int FullParse()
    {
        var frames = 0;
        foreach (var advert in _adverts)
        {
            if (BleAdvertParser.Parse(advert).Frame != BleFrameKind.None)
            {
                frames++;
            }
        }

        return frames;
    }
}
