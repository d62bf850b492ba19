namespace EventKit.Gates.Ble.Tests.Credentials;

public sealed class EddystoneEidTests
{
    [Theory]
    [InlineData(0, 0u)]
    [InlineData(0, 65535u)]
    [InlineData(0, 65536u)]
    [InlineData(10, 1_000_000u)]
    [InlineData(10, 0xFFFFFFFFu)]
    [InlineData(15, 65535u)]
    [InlineData(15, 65536u)]
    [InlineData(15, 1_763_715_600u)]
    public void EidMatchesTheSpecComputation(byte k, uint counter)
    {
        var key = EidVectors.Key(7);

        Assert.Equal(EidVectors.Eid(key, k, counter), EddystoneEid.Compute(key, k, counter));
    }

    [Fact]
    public void TemporaryKeyRollsOverAtCounterMultiplesOf65536()
    {
        var key = EidVectors.Key(1);
        Span<byte> before = stackalloc byte[16];
        Span<byte> sameEpoch = stackalloc byte[16];
        Span<byte> after = stackalloc byte[16];

        EddystoneEid.ComputeTemporaryKey(key, 65535, before);
        EddystoneEid.ComputeTemporaryKey(key, 0, sameEpoch);
        EddystoneEid.ComputeTemporaryKey(key, 65536, after);

        Assert.Equal(EidVectors.TemporaryKey(key, 65535), before.ToArray());
        Assert.Equal(before.ToArray(), sameEpoch.ToArray());
        Assert.NotEqual(before.ToArray(), after.ToArray());
        Assert.Equal(EidVectors.TemporaryKey(key, 65536), after.ToArray());
    }

    [Fact]
    public void EidIsConstantInsideAWindowAndChangesAtItsEdge()
    {
        var key = EidVectors.Key(3);

        // K = 10: counters 1024..2047 share one EID.
        Assert.Equal(EddystoneEid.Compute(key, 10, 1024), EddystoneEid.Compute(key, 10, 2047));
        Assert.NotEqual(EddystoneEid.Compute(key, 10, 2047), EddystoneEid.Compute(key, 10, 2048));

        // K = 0: every second is a window.
        Assert.NotEqual(EddystoneEid.Compute(key, 0, 5), EddystoneEid.Compute(key, 0, 6));
    }

    [Fact]
    public void CounterSubtractsTheClockOffset()
    {
        var at = DateTimeOffset.FromUnixTimeSeconds(1_000_000);

        Assert.Equal(999_000u, EddystoneEid.Counter(at, 1_000));
        Assert.Equal(1_000_000u, EddystoneEid.Counter(at, 0));
    }

    [Fact]
    public void AdvertCarriesTheCurrentEidAndParses()
    {
        var key = EidVectors.Key(9);
        var identity = new BleIdentity(42, key, rotationExponent: 10, clockOffset: 500);
        var at = DateTimeOffset.FromUnixTimeSeconds(1_763_715_600);

        var advert = EddystoneEid.CreateAdvert(identity, at, txPowerAt0m: -18);
        var parsed = BleAdvertParser.Parse(advert);

        Assert.Equal(EddystoneEid.AdvertLength, advert.Length);
        Assert.Equal(AdvertParseStatus.Complete, parsed.Status);
        Assert.True(parsed.TryGetEddystoneEid(out var frame));
        Assert.Equal(EidVectors.Eid(key, 10, 1_763_715_100), frame.Eid);
        Assert.Equal(-18, frame.TxPowerAt0m);
    }

    [Fact]
    public void WriteAdvertRejectsAShortDestination()
    {
        var identity = new BleIdentity(1, EidVectors.Key(1));

        Assert.Throws<ArgumentException>(() => EddystoneEid.WriteAdvert(identity, DateTimeOffset.UnixEpoch, 0, new byte[10]));
    }
}
