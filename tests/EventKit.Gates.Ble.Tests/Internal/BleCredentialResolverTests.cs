using EventKit.Gates.Ble.Internal;
using EventKit.Gates.Ble.Tests.Credentials;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace EventKit.Gates.Ble.Tests.Internal;

public sealed class BleCredentialResolverTests : IDisposable
{
    private static readonly DateTimeOffset Now = DateTimeOffset.FromUnixTimeSeconds(1_763_715_600);
    private readonly EddystoneEidResolver _eids = new(new FakeTimeProvider(Now));

    public void Dispose() => _eids.Dispose();

    private BleCredentialResolver Resolver(Action<BleGateOptions>? configure = null)
    {
        var options = new BleGateOptions();
        configure?.Invoke(options);
        return new BleCredentialResolver(_eids, new StaticBeaconMatcher(options), new OptionsBadgeDirectory(Options.Create(options)), options);
    }

    [Fact]
    public void EidAdvertResolvesWithItsMeasuredPower()
    {
        var identity = new BleIdentity(21, EidVectors.Key(21));
        _eids.AddOrUpdate(identity);

        var outcome = Resolver().Resolve(EddystoneEid.CreateAdvert(identity, Now, txPowerAt0m: -20), Now, out var participant, out var kind, out var power);

        Assert.Equal(CredentialOutcome.Resolved, outcome);
        Assert.Equal(21, participant);
        Assert.Equal(CredentialKind.BleRotatingEid, kind);
        Assert.Equal(-61, power);
    }

    [Theory]
    [InlineData(0x80, -59)]       // −128 dBm: a replayed advert stating this would look millimetres away from any gateway
    [InlineData(0x9B, -59)]       // −101 dBm: just below the plausible range
    [InlineData(0x9C, -100 - 41)] // −100 dBm: the lowest plausible value
    [InlineData(0x14, 20 - 41)]   // +20 dBm: the highest plausible value
    [InlineData(0x15, -59)]       // +21 dBm: just above it
    public void ImplausibleEidTxPowerGetsTheDefaultReference(byte txByte, int expectedAt1m)
    {
        var identity = new BleIdentity(24, EidVectors.Key(24));
        _eids.AddOrUpdate(identity);

        var outcome = Resolver().Resolve(EddystoneEid.CreateAdvert(identity, Now, txPowerAt0m: unchecked((sbyte)txByte)), Now, out _, out _, out var power);

        Assert.Equal(CredentialOutcome.Resolved, outcome);
        Assert.Equal(expectedAt1m, power);
    }

    [Fact]
    public void PlausibleTxRangeIsConfigurable()
    {
        var identity = new BleIdentity(25, EidVectors.Key(25));
        _eids.AddOrUpdate(identity);
        var advert = EddystoneEid.CreateAdvert(identity, Now, txPowerAt0m: -60);

        Resolver().Resolve(advert, Now, out _, out _, out var byDefault);
        Resolver(o => o.MinPlausibleTxPower = -40).Resolve(advert, Now, out _, out _, out var narrowed);

        Assert.Equal(-101, byDefault);
        Assert.Equal(-59, narrowed);
    }

    [Fact]
    public void UnknownEidAndOtherDevicesAreNotCredentials()
    {
        var stranger = new BleIdentity(22, EidVectors.Key(22));
        var resolver = Resolver();

        Assert.Equal(CredentialOutcome.NotACredential, resolver.Resolve(EddystoneEid.CreateAdvert(stranger, Now), Now, out _, out _, out _));
        Assert.Equal(CredentialOutcome.NotACredential, resolver.Resolve(Convert.FromHexString("02010605FF99040501"), Now, out _, out _, out _));
    }

    [Fact]
    public void TruncatedAdvertIsMalformed()
    {
        Assert.Equal(CredentialOutcome.Malformed, Resolver().Resolve(Convert.FromHexString("0201061AFF4C0002"), Now, out _, out _, out _));
    }

    [Fact]
    public void EddystoneUidBadgeOfTheEventNamespaceResolvesOnlyWhenEnabled()
    {
        var advert = Convert.FromHexString("1516AAFE00E7" + "00112233445566778899" + "5A3C91E2D7B4");
        var enabled = Resolver(o =>
        {
            o.EnableStaticBeacons = true;
            o.StaticEddystoneNamespace = "00112233445566778899";
            o.StaticBadges[0x5A3C91E2D7B4] = 0x63;
        });
        var otherNamespace = Resolver(o =>
        {
            o.EnableStaticBeacons = true;
            o.StaticEddystoneNamespace = "FF112233445566778899";
            o.StaticBadges[0x5A3C91E2D7B4] = 0x63;
        });
        var notInTable = Resolver(o =>
        {
            o.EnableStaticBeacons = true;
            o.StaticEddystoneNamespace = "00112233445566778899";
            o.StaticBadges[0x63] = 0x64;
        });

        Assert.Equal(CredentialOutcome.NotACredential, Resolver().Resolve(advert, Now, out _, out _, out _));
        Assert.Equal(CredentialOutcome.NotACredential, otherNamespace.Resolve(advert, Now, out _, out _, out _));
        Assert.Equal(CredentialOutcome.NotACredential, notInTable.Resolve(advert, Now, out _, out _, out _));
        Assert.Equal(CredentialOutcome.Resolved, enabled.Resolve(advert, Now, out var participant, out var kind, out var power));
        Assert.Equal(0x63, participant);
        Assert.Equal(CredentialKind.BleStaticBeacon, kind);
        Assert.Equal(-25 - 41, power);
    }

    [Fact]
    public void ResolvingAllocatesNothing()
    {
        var identity = new BleIdentity(23, EidVectors.Key(23));
        _eids.AddOrUpdate(identity);
        var resolver = Resolver();
        var advert = EddystoneEid.CreateAdvert(identity, Now);
        resolver.Resolve(advert, Now, out _, out _, out _);

        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 1000; i++)
        {
            resolver.Resolve(advert, Now, out _, out _, out _);
        }

        Assert.Equal(before, GC.GetAllocatedBytesForCurrentThread());
    }
}
