using EventKit.Gates.Ble.Internal;

namespace EventKit.Gates.Ble.Tests.Internal;

public sealed class NonceGuardTests
{
    [Fact]
    public void RepeatedNonceIsRefusedPerGateway()
    {
        var guard = new NonceGuard(16);

        Assert.True(guard.TryAccept("gw-1", 5));
        Assert.False(guard.TryAccept("gw-1", 5));
        Assert.True(guard.TryAccept("gw-2", 5));
    }

    [Fact]
    public void MemoryIsBoundedToTheLastNonces()
    {
        var guard = new NonceGuard(16);
        for (ulong nonce = 0; nonce < 17; nonce++)
        {
            Assert.True(guard.TryAccept("gw", nonce));
        }

        // Nonce 0 was pushed out by the 17th; nonce 1 is still remembered.
        Assert.True(guard.TryAccept("gw", 0));
        Assert.False(guard.TryAccept("gw", 16));
        Assert.True(guard.TryAccept("gw", 1));
    }
}
