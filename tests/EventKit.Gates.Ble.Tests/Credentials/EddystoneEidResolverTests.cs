using Microsoft.Extensions.Time.Testing;

namespace EventKit.Gates.Ble.Tests.Credentials;

public sealed class EddystoneEidResolverTests
{
    // A window start for K = 10 (1,763,715,072 = 1,722,378 × 1024).
    private const long WindowStart = 1_763_715_072;

    private static ulong EidAt(byte[] key, byte k, long unixSeconds, uint offset = 0) => EidVectors.Eid(key, k, (uint)(unixSeconds - offset));

    [Fact]
    public void ResolvesTheCurrentAndNeighbouringWindowsOnly()
    {
        var time = new FakeTimeProvider(DateTimeOffset.FromUnixTimeSeconds(WindowStart + 100));
        using var resolver = new EddystoneEidResolver(time);
        var key = EidVectors.Key(1);
        resolver.AddOrUpdate(new BleIdentity(7, key));
        var now = time.GetUtcNow();

        Assert.True(resolver.TryResolve(EidAt(key, 10, WindowStart), now, out var participant));
        Assert.Equal(7, participant);
        Assert.True(resolver.TryResolve(EidAt(key, 10, WindowStart - 1024), now, out _));
        Assert.True(resolver.TryResolve(EidAt(key, 10, WindowStart + 1024), now, out _));
        Assert.False(resolver.TryResolve(EidAt(key, 10, WindowStart - 2048), now, out _));
        Assert.False(resolver.TryResolve(EidAt(key, 10, WindowStart + 2048), now, out _));
        Assert.Equal(3, resolver.EidCount);
    }

    [Fact]
    public void WindowEdgesMoveExactlyWhenTheWindowRolls()
    {
        var time = new FakeTimeProvider(DateTimeOffset.FromUnixTimeSeconds(WindowStart + 1023));
        using var resolver = new EddystoneEidResolver(time);
        var key = EidVectors.Key(2);
        resolver.AddOrUpdate(new BleIdentity(8, key));
        var previous = EidAt(key, 10, WindowStart - 1024);
        var afterNext = EidAt(key, 10, WindowStart + 2048);

        Assert.True(resolver.TryResolve(previous, time.GetUtcNow(), out _));
        Assert.False(resolver.TryResolve(afterNext, time.GetUtcNow(), out _));

        time.Advance(TimeSpan.FromSeconds(1));

        Assert.False(resolver.TryResolve(previous, time.GetUtcNow(), out _));
        Assert.True(resolver.TryResolve(afterNext, time.GetUtcNow(), out var participant));
        Assert.Equal(8, participant);
        Assert.Equal(3, resolver.EidCount);
    }

    [Fact]
    public void SightingTimeOutsideTheAcceptedWindowsDoesNotResolve()
    {
        var time = new FakeTimeProvider(DateTimeOffset.FromUnixTimeSeconds(WindowStart + 10));
        using var resolver = new EddystoneEidResolver(time);
        var key = EidVectors.Key(3);
        resolver.AddOrUpdate(new BleIdentity(9, key));
        var next = EidAt(key, 10, WindowStart + 1024);

        // Seen two windows before its own window: the phone's clock would be 2 windows ahead.
        Assert.False(resolver.TryResolve(next, DateTimeOffset.FromUnixTimeSeconds(WindowStart - 1), out _));
        Assert.True(resolver.TryResolve(next, DateTimeOffset.FromUnixTimeSeconds(WindowStart), out _));
    }

    [Fact]
    public void WiderSkewToleranceAcceptsMoreWindows()
    {
        var time = new FakeTimeProvider(DateTimeOffset.FromUnixTimeSeconds(WindowStart));
        using var resolver = new EddystoneEidResolver(time, windowsEitherSide: 2);
        var key = EidVectors.Key(4);
        resolver.AddOrUpdate(new BleIdentity(10, key));

        Assert.True(resolver.TryResolve(EidAt(key, 10, WindowStart - 2048), time.GetUtcNow(), out _));
        Assert.True(resolver.TryResolve(EidAt(key, 10, WindowStart + 2048), time.GetUtcNow(), out _));
        Assert.False(resolver.TryResolve(EidAt(key, 10, WindowStart + 3072), time.GetUtcNow(), out _));
        Assert.Equal(5, resolver.EidCount);
    }

    [Fact]
    public void KZeroRollsEverySecond()
    {
        var time = new FakeTimeProvider(DateTimeOffset.FromUnixTimeSeconds(WindowStart));
        using var resolver = new EddystoneEidResolver(time);
        var key = EidVectors.Key(5);
        resolver.AddOrUpdate(new BleIdentity(11, key, rotationExponent: 0));

        for (var second = 0; second < 5; second++)
        {
            var now = WindowStart + second;
            Assert.True(resolver.TryResolve(EidAt(key, 0, now), time.GetUtcNow(), out _));
            Assert.True(resolver.TryResolve(EidAt(key, 0, now + 1), time.GetUtcNow(), out _));
            Assert.False(resolver.TryResolve(EidAt(key, 0, now + 2), time.GetUtcNow(), out _));
            time.Advance(TimeSpan.FromSeconds(1));
        }

        Assert.Equal(3, resolver.EidCount);
    }

    [Fact]
    public void K15RollsAcrossTheTemporaryKeyEpoch()
    {
        // Counter 65536 × 26,912 is a temporary-key epoch edge and a K = 15 window edge.
        var edge = 65_536L * 26_912;
        var time = new FakeTimeProvider(DateTimeOffset.FromUnixTimeSeconds(edge - 10));
        using var resolver = new EddystoneEidResolver(time);
        var key = EidVectors.Key(6);
        resolver.AddOrUpdate(new BleIdentity(12, key, rotationExponent: 15));

        Assert.True(resolver.TryResolve(EidAt(key, 15, edge - 10), time.GetUtcNow(), out _));
        Assert.True(resolver.TryResolve(EidAt(key, 15, edge), time.GetUtcNow(), out _));

        time.Advance(TimeSpan.FromSeconds(20));

        Assert.True(resolver.TryResolve(EidAt(key, 15, edge + 32_768), time.GetUtcNow(), out var participant));
        Assert.Equal(12, participant);
        Assert.True(resolver.TryResolve(EidAt(key, 15, edge - 10), time.GetUtcNow(), out _));
        Assert.False(resolver.TryResolve(EidAt(key, 15, edge - 32_769), time.GetUtcNow(), out _));
    }

    [Fact]
    public void ClockOffsetShiftsTheWindows()
    {
        var time = new FakeTimeProvider(DateTimeOffset.FromUnixTimeSeconds(WindowStart + 500));
        using var resolver = new EddystoneEidResolver(time, windowsEitherSide: 0);
        var key = EidVectors.Key(7);
        resolver.AddOrUpdate(new BleIdentity(13, key, clockOffset: 600));

        Assert.True(resolver.TryResolve(EidAt(key, 10, WindowStart + 500, 600), time.GetUtcNow(), out _));

        // With offset 600 the window began at unix WindowStart + 600 − 1024 and ends at WindowStart + 600.
        time.Advance(TimeSpan.FromSeconds(100));

        Assert.False(resolver.TryResolve(EidAt(key, 10, WindowStart + 500, 600), time.GetUtcNow(), out _));
        Assert.True(resolver.TryResolve(EidAt(key, 10, WindowStart + 600, 600), time.GetUtcNow(), out _));
    }

    [Fact]
    public void RemovedAndReKeyedIdentitiesStopResolving()
    {
        var time = new FakeTimeProvider(DateTimeOffset.FromUnixTimeSeconds(WindowStart));
        using var resolver = new EddystoneEidResolver(time);
        var oldKey = EidVectors.Key(8);
        var newKey = EidVectors.Key(9);
        resolver.AddOrUpdate(new BleIdentity(14, oldKey));
        resolver.AddOrUpdate(new BleIdentity(15, EidVectors.Key(10)));

        resolver.AddOrUpdate(new BleIdentity(14, newKey));

        Assert.False(resolver.TryResolve(EidAt(oldKey, 10, WindowStart), time.GetUtcNow(), out _));
        Assert.True(resolver.TryResolve(EidAt(newKey, 10, WindowStart), time.GetUtcNow(), out var participant));
        Assert.Equal(14, participant);

        Assert.True(resolver.Remove(14));

        Assert.False(resolver.TryResolve(EidAt(newKey, 10, WindowStart), time.GetUtcNow(), out _));
        Assert.False(resolver.Remove(14));
        Assert.Equal(1, resolver.IdentityCount);
        Assert.Equal(3, resolver.EidCount);
    }

    [Fact]
    public void LoadAddsChangesAndRemovesIncrementally()
    {
        var time = new FakeTimeProvider(DateTimeOffset.FromUnixTimeSeconds(WindowStart));
        using var resolver = new EddystoneEidResolver(time);
        resolver.Load([new BleIdentity(1, EidVectors.Key(1)), new BleIdentity(2, EidVectors.Key(2))]);

        resolver.Load([new BleIdentity(2, EidVectors.Key(2)), new BleIdentity(3, EidVectors.Key(3))]);

        Assert.Equal(2, resolver.IdentityCount);
        Assert.Equal(6, resolver.EidCount);
        Assert.False(resolver.TryResolve(EidAt(EidVectors.Key(1), 10, WindowStart), time.GetUtcNow(), out _));
        Assert.True(resolver.TryResolve(EidAt(EidVectors.Key(3), 10, WindowStart), time.GetUtcNow(), out var participant));
        Assert.Equal(3, participant);
    }

    [Fact]
    public void ExplicitRollOnlyTouchesIdentitiesWhoseWindowEnded()
    {
        var time = new FakeTimeProvider(DateTimeOffset.FromUnixTimeSeconds(WindowStart));
        using var resolver = new EddystoneEidResolver(time);
        resolver.AddOrUpdate(new BleIdentity(1, EidVectors.Key(1), rotationExponent: 10));
        resolver.AddOrUpdate(new BleIdentity(2, EidVectors.Key(2), rotationExponent: 12));

        time.Advance(TimeSpan.FromSeconds(1024));

        // WindowStart ≡ 2048 (mod 4096): the K = 12 window runs until WindowStart + 2048, so only K = 10 rolls.
        Assert.Equal(1, resolver.Roll());
        Assert.Equal(0, resolver.Roll());
    }

    [Fact]
    public async Task LookupsStayCorrectWhileIdentitiesChangeAndWindowsRoll()
    {
        var time = new FakeTimeProvider(DateTimeOffset.FromUnixTimeSeconds(WindowStart));
        using var resolver = new EddystoneEidResolver(time);
        var stable = new BleIdentity(1, EidVectors.Key(1), rotationExponent: 0);
        resolver.AddOrUpdate(stable);
        using var stop = new CancellationTokenSource();

        var writer = Task.Run(() =>
        {
            for (var i = 0; i < 2000; i++)
            {
                resolver.AddOrUpdate(new BleIdentity(2 + (i % 50), EidVectors.Key((byte)(i % 200)), rotationExponent: (byte)(i % 16)));
                if (i % 3 == 0)
                {
                    resolver.Remove(2 + (i % 50));
                }

                if (i % 100 == 0)
                {
                    time.Advance(TimeSpan.FromSeconds(1));
                }
            }
        });

        var wrong = 0;
        var misses = 0;
        while (!writer.IsCompleted)
        {
            var now = time.GetUtcNow();
            if (resolver.TryResolve(EidAt(EidVectors.Key(1), 0, now.ToUnixTimeSeconds()), now, out var participant))
            {
                wrong += participant == 1 ? 0 : 1;
            }
            else
            {
                misses++;
            }
        }

        await writer;
        Assert.Equal(0, wrong);

        // The clock only moves on the writer thread; at most a read racing an advance can miss.
        Assert.True(misses <= 20, $"{misses} lookups of the current EID missed");
    }
}
