using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using System.Text;
using EventKit.Gates.Ble.Tests.Hosting;
using EventKit.Redis;
using EventKit.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace EventKit.Gates.Ble.Tests.Internal;

/// <summary>Two nodes (service providers) on the real local Redis share clone and nonce state.</summary>
public sealed class BleSharedStateTests(RedisFixture redis) : IClassFixture<RedisFixture>
{
    private static ReadOnlyMemory<byte> Utf8(string text) => Encoding.UTF8.GetBytes(text);

    private async Task<BleTestHost> NodeAsync()
    {
        var node = new BleTestHost(extend: b => b.AddRedis(o =>
        {
            o.Configuration = redis.Configuration;
            o.KeyPrefix = redis.KeyPrefix;
        }));
        await node.Provider.GetRequiredService<IRedisConnection>().ConnectAsync();
        return node;
    }

    private static ReadOnlyMemory<byte> RuuviReport(BleTestHost host, BleIdentity identity, ulong nonce)
    {
        var seconds = host.Time.GetUtcNow().ToUnixTimeSeconds();
        var advert = Convert.ToHexString(EddystoneEid.CreateAdvert(identity, host.Time.GetUtcNow()));
        return Utf8("{\"data\":{\"timestamp\":\"" + seconds + "\",\"nonce\":\"" + nonce + "\",\"gw_mac\":\"C8:25:2D:8E:9C:2C\",\"tags\":{\"C6:A5:12:34:56:78\":{\"rssi\":-52,\"timestamp\":\"" + seconds + "\",\"data\":\"" + advert + "\"}}}}");
    }

    private static async Task WalkAsync(BleTestHost host, BleIdentity identity, string gateway)
    {
        for (var i = 0; i < 10; i++)
        {
            await host.Ingestor.IngestAsync(gateway, BleReportFormat.Ndjson, Utf8(host.Line(identity, -52)));
            host.Time.Advance(TimeSpan.FromMilliseconds(200));
        }
    }

    [Fact]
    public async Task NonceSeenByNodeAIsRefusedByNodeB()
    {
        using var a = await NodeAsync();
        using var b = await NodeAsync();
        var identityA = a.AddParticipant(60);
        b.AddParticipant(60);
        var nonce = (ulong)Random.Shared.NextInt64(1, long.MaxValue);
        var report = RuuviReport(a, identityA, nonce);

        var first = await a.Ingestor.IngestAsync("gw-1", BleReportFormat.RuuviJson, report);
        var replayToB = await b.Ingestor.IngestAsync("gw-1", BleReportFormat.RuuviJson, report);
        var freshToB = await b.Ingestor.IngestAsync("gw-1", BleReportFormat.RuuviJson, RuuviReport(b, identityA, nonce + 1));

        Assert.Equal(new BleIngestSummary(1, 1, 0, 0), first);
        Assert.Equal(new BleIngestSummary(1, 0, 0, 1), replayToB);
        Assert.Equal(new BleIngestSummary(1, 1, 0, 0), freshToB);

        // Bounded: the nonce key expires.
        var ttl = await redis.Connection.GetDatabase().KeyTimeToLiveAsync($"{redis.KeyPrefix}ble:1:nonce:gw-1:{nonce}");
        Assert.NotNull(ttl);
        Assert.InRange(ttl.Value, TimeSpan.FromMinutes(9), TimeSpan.FromMinutes(10));
    }

    [Fact]
    public async Task CloneEnteringGatesServedByTwoNodesIsDetected()
    {
        using var a = await NodeAsync();
        using var b = await NodeAsync();
        var identity = a.AddParticipant(61);
        b.AddParticipant(61);

        await WalkAsync(a, identity, "gw-1");
        await WalkAsync(b, identity, "gw-2");

        Assert.Single(a.CheckIns.Requests);
        Assert.Empty(b.CheckIns.Requests);
        var alert = Assert.Single(b.Observer.Events, e => e.Kind == BlePresenceEventKind.CloneSuspected);
        Assert.Equal(2, alert.GateId);
        Assert.Equal(1, alert.OtherGateId);
        Assert.DoesNotContain(b.Observer.Events, e => e.Kind == BlePresenceEventKind.Entered);

        // Bounded: the entry expires after the travel time plus the sighting age and clock skew windows.
        var ttl = await redis.Connection.GetDatabase().KeyTimeToLiveAsync($"{redis.KeyPrefix}ble:1:entry:61");
        Assert.NotNull(ttl);
        Assert.InRange(ttl.Value, TimeSpan.FromSeconds(60), TimeSpan.FromSeconds(85));
    }

    [Fact]
    public async Task SameGateOnTwoNodesIsNoClone()
    {
        using var a = await NodeAsync();
        using var b = await NodeAsync();
        var identity = a.AddParticipant(62);
        b.AddParticipant(62);

        await WalkAsync(a, identity, "gw-1");
        await WalkAsync(b, identity, "gw-1");

        Assert.Single(a.CheckIns.Requests);
        Assert.Single(b.CheckIns.Requests);
        Assert.DoesNotContain(b.Observer.Events, e => e.Kind == BlePresenceEventKind.CloneSuspected);
    }

    [Fact]
    public async Task UnreachableRedisFallsBackToThisNodesStateAndCountsIt()
    {
        // Registered but never connected (nothing listens on port 1): checks are decided locally and counted.
        using var node = new BleTestHost(extend: b => b.AddRedis(o => o.Configuration = "127.0.0.1:1,abortConnect=false"));
        var identity = node.AddParticipant(63);
        var fallbacks = new ConcurrentBag<long>();
        var factory = node.Provider.GetRequiredService<IMeterFactory>();
        using var listener = new MeterListener
        {
            InstrumentPublished = (instrument, l) =>
            {
                if (instrument.Name == "eventkit.ble.shared_state.fallbacks" && ReferenceEquals(instrument.Meter.Scope, factory))
                {
                    l.EnableMeasurementEvents(instrument);
                }
            },
        };
        listener.SetMeasurementEventCallback<long>((_, value, _, _) => fallbacks.Add(value));
        listener.Start();
        var report = RuuviReport(node, identity, 99);

        var first = await node.Ingestor.IngestAsync("gw-1", BleReportFormat.RuuviJson, report);
        var replay = await node.Ingestor.IngestAsync("gw-1", BleReportFormat.RuuviJson, report);

        Assert.Equal(1, first.Resolved);
        Assert.Equal(new BleIngestSummary(1, 0, 0, 1), replay);
        Assert.NotEmpty(fallbacks);
    }
}
