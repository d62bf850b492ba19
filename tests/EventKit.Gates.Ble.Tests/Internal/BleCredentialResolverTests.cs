using EventKit.Gates.Ble.Internal;
using EventKit.Gates.Ble.Tests.Credentials;
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
        return new BleCredentialResolver(_eids, new StaticBeaconMatcher(options), new ParticipantIdBadgeDirectory(), options.MaxAdvertLength, options.DefaultMeasuredPower);
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
        var advert = Convert.FromHexString("1516AAFE00E7" + "00112233445566778899" + "000000000063");
        var enabled = Resolver(o =>
        {
            o.EnableStaticBeacons = true;
            o.StaticEddystoneNamespace = "00112233445566778899";
        });
        var otherNamespace = Resolver(o =>
        {
            o.EnableStaticBeacons = true;
            o.StaticEddystoneNamespace = "FF112233445566778899";
        });

        Assert.Equal(CredentialOutcome.NotACredential, Resolver().Resolve(advert, Now, out _, out _, out _));
        Assert.Equal(CredentialOutcome.NotACredential, otherNamespace.Resolve(advert, Now, out _, out _, out _));
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
