using EventKit.Gates.Ble.Tests.Hosting;
using Microsoft.Extensions.DependencyInjection;

namespace EventKit.Gates.Ble.Tests.Credentials;

public sealed class BleIdentityProvisionerTests
{
    [Fact]
    public async Task ProvisionedKeyIsStoredAndResolvesAtOnce()
    {
        using var host = new BleTestHost();
        host.Store.KnownParticipants.Add(5);
        var provisioner = host.Provider.GetRequiredService<BleIdentityProvisioner>();

        var identity = await provisioner.ProvisionAsync(5, rotationExponent: 12);

        Assert.NotNull(identity);
        Assert.Equal(12, identity.RotationExponent);
        Assert.Equal(16, identity.IdentityKey.Length);
        Assert.Contains(await host.Store.GetActiveAsync(1), i => i.Equals(identity));
        Assert.True(host.Resolver.TryResolve(EddystoneEid.Compute(identity, host.Time.GetUtcNow()), host.Time.GetUtcNow(), out var participant));
        Assert.Equal(5, participant);
    }

    [Fact]
    public async Task RotatingTheKeyRetiresTheOldOne()
    {
        using var host = new BleTestHost();
        host.Store.KnownParticipants.Add(6);
        var provisioner = host.Provider.GetRequiredService<BleIdentityProvisioner>();

        var first = await provisioner.ProvisionAsync(6);
        var second = await provisioner.ProvisionAsync(6);

        Assert.NotNull(first);
        Assert.NotNull(second);
        Assert.False(first.IdentityKey.Span.SequenceEqual(second.IdentityKey.Span));
        Assert.False(host.Resolver.TryResolve(EddystoneEid.Compute(first, host.Time.GetUtcNow()), host.Time.GetUtcNow(), out _));
        Assert.True(host.Resolver.TryResolve(EddystoneEid.Compute(second, host.Time.GetUtcNow()), host.Time.GetUtcNow(), out _));
    }

    [Fact]
    public async Task UnknownParticipantGetsNothing()
    {
        using var host = new BleTestHost();
        var provisioner = host.Provider.GetRequiredService<BleIdentityProvisioner>();

        Assert.Null(await provisioner.ProvisionAsync(999));
        Assert.Equal(0, host.Resolver.IdentityCount);
    }
}
