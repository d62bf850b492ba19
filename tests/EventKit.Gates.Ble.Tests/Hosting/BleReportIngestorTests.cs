using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using System.Text;
using EventKit.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace EventKit.Gates.Ble.Tests.Hosting;

public sealed class BleReportIngestorTests
{
    private static ReadOnlyMemory<byte> Utf8(string text) => Encoding.UTF8.GetBytes(text);

    /// <summary>Sends one NDJSON line every 200 ms for <paramref name="seconds"/>, advancing the clock.</summary>
    private static async Task<BleIngestSummary> WalkAsync(BleTestHost host, BleIdentity identity, int rssi, double seconds, string gateway = "gw-1")
    {
        var total = default(BleIngestSummary);
        for (var i = 0; i < seconds * 5; i++)
        {
            var summary = await host.Ingestor.IngestAsync(gateway, BleReportFormat.Ndjson, Utf8(host.Line(identity, rssi)));
            total = new BleIngestSummary(total.Sightings + summary.Sightings, total.Resolved + summary.Resolved, total.Admitted + summary.Admitted, total.Rejected + summary.Rejected);
            host.Time.Advance(TimeSpan.FromMilliseconds(200));
        }

        return total;
    }

    [Fact]
    public async Task ParticipantStandingAtTheGateIsCheckedInOnceWithMethodBle()
    {
        using var host = new BleTestHost();
        var identity = host.AddParticipant(42);
        var start = host.Time.GetUtcNow();

        var summary = await WalkAsync(host, identity, -52, seconds: 3);

        Assert.Equal(new BleIngestSummary(15, 15, 1, 0), summary);
        var request = Assert.Single(host.CheckIns.Requests);
        Assert.Equal(1, request.GateId);
        Assert.Equal(42, request.ParticipantId);
        Assert.Equal(CheckInMethod.Ble, request.Method);
        Assert.Equal(CredentialKind.BleRotatingEid, request.CredentialKind);
        Assert.Equal(start.AddMilliseconds(800), request.OccurredAt);
        Assert.NotNull(request.RequestId);
        Assert.Contains(host.Observer.Events, e => e.Kind == BlePresenceEventKind.Entered && e.ParticipantId == 42);
    }

    [Fact]
    public async Task EachReportIsASpanAndTheCheckInsItCausesAreItsChildren()
    {
        using var host = new BleTestHost();
        var identity = host.AddParticipant(44);
        using var root = new System.Diagnostics.Activity("test").Start();
        using var spans = new SpanRecorder(root.TraceId, EventKitDiagnostics.Ble);

        await WalkAsync(host, identity, -52, seconds: 3);

        Assert.Equal(15, spans.Count);
        Assert.All(spans, s => Assert.Equal("eventkit.ble.report", s.OperationName));
        Assert.All(spans, s => Assert.Equal(root.SpanId, s.ParentSpanId));
        Assert.All(spans, s => Assert.Equal("gw-1", s.GetTagItem("eventkit.ble.gateway.id")));
        var admitting = Assert.Single(spans, s => (int)s.GetTagItem("eventkit.ble.admitted")! == 1);
        Assert.Equal(1, admitting.GetTagItem("eventkit.ble.sightings"));
        Assert.Equal(1, admitting.GetTagItem("eventkit.ble.resolved"));
        Assert.Same(admitting, Assert.Single(host.CheckIns.CallerSpans));
    }

    [Fact]
    public async Task LeavingAndComingBackChecksInAgainWithANewRequestId()
    {
        using var host = new BleTestHost();
        var identity = host.AddParticipant(43);

        await WalkAsync(host, identity, -52, 2);
        await WalkAsync(host, identity, -88, 7);
        host.Time.Advance(TimeSpan.FromSeconds(61));
        await WalkAsync(host, identity, -52, 2);

        Assert.Equal(2, host.CheckIns.Requests.Count);
        Assert.NotEqual(host.CheckIns.Requests[0].RequestId, host.CheckIns.Requests[1].RequestId);
        Assert.Contains(host.Observer.Events, e => e.Kind == BlePresenceEventKind.Exited);
    }

    [Fact]
    public async Task UnknownAdvertsAreCountedButNotResolvedOrTracked()
    {
        using var host = new BleTestHost();
        var random = new Random(4);
        var lines = new StringBuilder();
        for (var i = 0; i < 20_000; i++)
        {
            var advert = new byte[random.Next(0, 31)];
            random.NextBytes(advert);
            lines.Append(System.Globalization.CultureInfo.InvariantCulture, $"{{\"mac\":\"{random.NextInt64(1L << 48):X12}\",\"rssi\":-40,\"adv\":\"{Convert.ToHexString(advert)}\"}}\n");
        }

        var summary = await host.Ingestor.IngestAsync("gw-1", BleReportFormat.Ndjson, Utf8(lines.ToString()));

        Assert.Equal(20_000, summary.Sightings);
        Assert.Equal(0, summary.Resolved);
        Assert.Equal(0, host.Internals.Engine.TrackedDevices);
        Assert.Empty(host.CheckIns.Requests);
    }

    [Fact]
    public async Task MalformedLinesStaleAndTruncatedAdvertsAreRejected()
    {
        using var host = new BleTestHost();
        var identity = host.AddParticipant(44);
        var now = host.Time.GetUtcNow().ToUnixTimeMilliseconds();
        var report = "garbage\n"
            + host.Line(identity, -52)
            + host.Line(identity, -52, atMs: now - 120_000)
            + host.Line(identity, -52, atMs: now + 60_000)
            + $"{{\"mac\":\"C6:A5:12:34:56:78\",\"rssi\":-52,\"adv\":\"0201061AFF4C00\"}}\n";

        var summary = await host.Ingestor.IngestAsync("gw-1", BleReportFormat.Ndjson, Utf8(report));

        Assert.Equal(new BleIngestSummary(5, 1, 0, 4), summary);
    }

    [Fact]
    public async Task UnknownGatewayRejectsEverything()
    {
        using var host = new BleTestHost();
        var identity = host.AddParticipant(45);

        var summary = await host.Ingestor.IngestAsync("gw-unknown", BleReportFormat.Ndjson, Utf8(host.Line(identity, -52) + host.Line(identity, -52)));

        Assert.Equal(new BleIngestSummary(2, 0, 0, 2, UnknownGateway: true), summary);
    }

    [Fact]
    public async Task ReplayedRuuviNonceIsIgnoredPerGateway()
    {
        using var host = new BleTestHost();
        var identity = host.AddParticipant(46);
        var seconds = host.Time.GetUtcNow().ToUnixTimeSeconds();
        var advert = Convert.ToHexString(EddystoneEid.CreateAdvert(identity, host.Time.GetUtcNow()));
        var report = Utf8("{\"data\":{\"timestamp\":\"" + seconds + "\",\"nonce\":\"77\",\"gw_mac\":\"C8:25:2D:8E:9C:2C\",\"tags\":{\"C6:A5:12:34:56:78\":{\"rssi\":-52,\"timestamp\":\"" + seconds + "\",\"data\":\"" + advert + "\"}}}}");

        var first = await host.Ingestor.IngestAsync("gw-1", BleReportFormat.RuuviJson, report);
        var replay = await host.Ingestor.IngestAsync("gw-1", BleReportFormat.RuuviJson, report);
        var otherGateway = await host.Ingestor.IngestAsync("gw-2", BleReportFormat.RuuviJson, report);

        Assert.Equal(new BleIngestSummary(1, 1, 0, 0), first);
        Assert.Equal(new BleIngestSummary(1, 0, 0, 1), replay);
        Assert.Equal(new BleIngestSummary(1, 1, 0, 0), otherGateway);
    }

    [Fact]
    public async Task MalformedRuuviEnvelopeThrowsAFormatException()
    {
        using var host = new BleTestHost();

        await Assert.ThrowsAsync<BleReportFormatException>(async () => await host.Ingestor.IngestAsync("gw-1", BleReportFormat.RuuviJson, Utf8("{\"nodata\":1}")));
    }

    [Fact]
    public async Task StreamedNdjsonGivesTheSameCountsAsInMemory()
    {
        using var host = new BleTestHost();
        var identity = host.AddParticipant(47);
        var text = new StringBuilder();
        for (var i = 0; i < 3000; i++)
        {
            text.Append(i % 100 == 0 ? "{broken\n" : host.Line(identity, -90, mac: (ulong)i));
        }

        var bytes = Encoding.UTF8.GetBytes(text.ToString());
        using var stream = new MemoryStream(bytes);

        var streamed = await host.Ingestor.IngestAsync("gw-1", BleReportFormat.Ndjson, stream);
        var inMemory = await host.Ingestor.IngestAsync("gw-1", BleReportFormat.Ndjson, bytes);

        Assert.True(bytes.Length > 3 * 64 * 1024);
        Assert.Equal(new BleIngestSummary(3000, 2970, 0, 30), streamed);
        Assert.Equal(streamed, inMemory);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(4096)]
    [InlineData(1 << 20)]
    public async Task OverLongNdjsonLineIsRejectedWithoutGrowingTheBufferAndTheNextLinesAreRead(int chunk)
    {
        using var host = new BleTestHost();
        var identity = host.AddParticipant(48);
        var text = host.Line(identity, -90, mac: 1) + "{\"pad\":\"" + new string('x', 2 * 1024 * 1024) + "\"}\n" + host.Line(identity, -90, mac: 2) + host.Line(identity, -90, mac: 3);
        var stream = new ReadRecordingStream(Encoding.UTF8.GetBytes(text), chunk);

        var summary = await host.Ingestor.IngestAsync("gw-1", BleReportFormat.Ndjson, stream);

        Assert.Equal(new BleIngestSummary(4, 3, 0, 1), summary);
        Assert.True(stream.LargestReadBuffer <= 4 * EventKit.Gates.Ble.Internal.BleReportIngestor.MaxNdjsonLineBytes, $"read buffer grew to {stream.LargestReadBuffer} bytes");
    }

    /// <summary>Returns at most <c>chunk</c> bytes per read and records the largest buffer it was handed.</summary>
    private sealed class ReadRecordingStream(byte[] data, int chunk) : MemoryStream(data)
    {
        public int LargestReadBuffer { get; private set; }

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            LargestReadBuffer = Math.Max(LargestReadBuffer, buffer.Length);
            return base.ReadAsync(buffer[..Math.Min(buffer.Length, chunk)], cancellationToken);
        }
    }

    [Fact]
    public async Task ReportOverTheSizeLimitIsAFormatError()
    {
        using var host = new BleTestHost(o => o.MaxReportBytes = 1024);
        using var stream = new MemoryStream(new byte[4096]);

        await Assert.ThrowsAsync<BleReportFormatException>(async () => await host.Ingestor.IngestAsync("gw-1", BleReportFormat.Ndjson, stream));
    }

    [Fact]
    public async Task CloneAtASecondGateIsRefusedAndReported()
    {
        using var host = new BleTestHost();
        var identity = host.AddParticipant(48);

        await WalkAsync(host, identity, -52, 2, "gw-1");
        var second = await WalkAsync(host, identity, -52, 2, "gw-2");

        Assert.Equal(0, second.Admitted);
        Assert.Single(host.CheckIns.Requests);
        var alert = Assert.Single(host.Observer.Events, e => e.Kind == BlePresenceEventKind.CloneSuspected);
        Assert.Equal(2, alert.GateId);
        Assert.Equal(1, alert.OtherGateId);
    }

    [Fact]
    public async Task UnavailableCheckInIsRetriedOnLaterSightings()
    {
        using var host = new BleTestHost();
        var identity = host.AddParticipant(49);
        var calls = 0;
        host.CheckIns.Respond = r => ++calls == 1
            ? CheckInResult.Unavailable(r.GateId, TimeSpan.FromSeconds(1))
            : CheckInResult.Admitted(new AttendanceRecord(Guid.NewGuid(), 1, 49, r.GateId, CheckInMethod.Ble, AttendanceDirection.In, r.OccurredAt!.Value, r.RequestId, r.CredentialKind));

        var summary = await WalkAsync(host, identity, -52, 3);

        Assert.Equal(2, host.CheckIns.Requests.Count);
        Assert.Equal(1, summary.Admitted);
    }

    [Fact]
    public async Task EventClosedCheckInIsRetriedOnLaterSightings()
    {
        using var host = new BleTestHost();
        var identity = host.AddParticipant(51);
        var calls = 0;
        host.CheckIns.Respond = r => ++calls == 1
            ? CheckInResult.EventClosed(r.GateId)
            : CheckInResult.Admitted(new AttendanceRecord(Guid.NewGuid(), 1, 51, r.GateId, CheckInMethod.Ble, AttendanceDirection.In, r.OccurredAt!.Value, r.RequestId, r.CredentialKind));

        var summary = await WalkAsync(host, identity, -52, 3);

        Assert.Equal(2, host.CheckIns.Requests.Count);
        Assert.Equal(1, summary.Admitted);
    }

    [Fact]
    public async Task HousekeepingExitsParticipantsNoLongerHeard()
    {
        using var host = new BleTestHost();
        var identity = host.AddParticipant(50);
        await WalkAsync(host, identity, -52, 2);

        host.Time.Advance(TimeSpan.FromSeconds(11));
        host.Internals.Housekeep();

        Assert.Contains(host.Observer.Events, e => e.Kind == BlePresenceEventKind.Exited && e.ParticipantId == 50);
    }

    [Fact]
    public async Task StaticBadgesAreIgnoredUnlessEnabled()
    {
        var uuid = Guid.Parse("e2c56db5-dffb-48d2-b060-d0f5a71096e0");
        var badge = $"1AFF4C000215{uuid:N}9F3A51C7C5";
        var line = $"{{\"mac\":\"C6:A5:12:34:56:78\",\"rssi\":-45,\"adv\":\"020106{badge}\"}}\n";
        using var off = new BleTestHost();
        using var on = new BleTestHost(o =>
        {
            o.EnableStaticBeacons = true;
            o.StaticIBeaconUuid = uuid;
            o.StaticBadges[0x9F3A51C7] = 0x33;
        });

        var ignored = await off.Ingestor.IngestAsync("gw-1", BleReportFormat.Ndjson, Utf8(line));
        for (var i = 0; i < 6; i++)
        {
            await on.Ingestor.IngestAsync("gw-1", BleReportFormat.Ndjson, Utf8(line));
            on.Time.Advance(TimeSpan.FromMilliseconds(200));
        }

        Assert.Equal(0, ignored.Resolved);
        var request = Assert.Single(on.CheckIns.Requests);
        Assert.Equal(0x33, request.ParticipantId);
        Assert.Equal(CredentialKind.BleStaticBeacon, request.CredentialKind);
    }

    [Fact]
    public async Task ReplayedEidStatingTx0x80HeardFaintlyDoesNotLookNear()
    {
        // The tx byte is not covered by the EID: 0x80 (−128 dBm at 0 m) once made −95 dBm look 2 mm away.
        using var host = new BleTestHost();
        var identity = host.AddParticipant(53);

        for (var i = 0; i < 25; i++)
        {
            var at = host.Time.GetUtcNow();
            var advert = Convert.ToHexString(EddystoneEid.CreateAdvert(identity, at, txPowerAt0m: sbyte.MinValue));
            await host.Ingestor.IngestAsync("gw-1", BleReportFormat.Ndjson, Utf8($"{{\"t\":{at.ToUnixTimeMilliseconds()},\"mac\":\"C6A512345678\",\"rssi\":-95,\"adv\":\"{advert}\"}}\n"));
            host.Time.Advance(TimeSpan.FromMilliseconds(200));
        }

        Assert.Empty(host.CheckIns.Requests);
        Assert.DoesNotContain(host.Observer.Events, e => e.Kind == BlePresenceEventKind.Entered);
    }

    [Fact]
    public async Task CalibratedGatewayIgnoresTheAdvertsTxPower()
    {
        // The advert states −18 dBm at 0 m (−59 at 1 m): −62 dBm reads as 1.3 m, inside the enter radius. Gateway gw-1 is
        // calibrated to hear −50 dBm at 1 m, so there −62 dBm is 3 m away: nobody enters.
        using var host = new BleTestHost(o => o.GatewayCalibrations["gw-1"] = -50);
        var calibrated = host.AddParticipant(54);
        var uncalibrated = host.AddParticipant(55);

        await WalkAsync(host, calibrated, -62, 3, "gw-1");
        await WalkAsync(host, uncalibrated, -62, 3, "gw-2");

        var request = Assert.Single(host.CheckIns.Requests);
        Assert.Equal(55, request.ParticipantId);
        Assert.Equal(2, request.GateId);
    }

    [Fact]
    public async Task BtsnoopCaptureIsReplayedThroughTheEngine()
    {
        using var host = new BleTestHost();
        var identity = host.AddParticipant(51);
        var records = new List<(uint, long, byte[])>();
        var now = host.Time.GetUtcNow().ToUnixTimeMilliseconds();
        for (var i = 0; i < 10; i++)
        {
            var at = now + (i * 200);
            var advert = EddystoneEid.CreateAdvert(identity, DateTimeOffset.FromUnixTimeMilliseconds(at));
            records.Add((0x3, at, Gateways.HciCaptures.AdvertisingReport((0xC6A512345678, advert, -50))));
        }

        host.Time.Advance(TimeSpan.FromSeconds(2));
        var summary = await host.Ingestor.IngestAsync("gw-1", BleReportFormat.Btsnoop, Gateways.HciCaptures.Btsnoop(2001, [.. records]));

        Assert.Equal(new BleIngestSummary(10, 10, 1, 0), summary);
    }

    [Fact]
    public async Task CountersAreReportedOnTheBleMeter()
    {
        using var host = new BleTestHost();
        var identity = host.AddParticipant(52);
        var factory = host.Provider.GetRequiredService<IMeterFactory>();
        var totals = new ConcurrentDictionary<string, long>();
        using var listener = new MeterListener
        {
            InstrumentPublished = (instrument, l) =>
            {
                if (instrument.Meter.Name == EventKitDiagnostics.Ble && ReferenceEquals(instrument.Meter.Scope, factory))
                {
                    l.EnableMeasurementEvents(instrument);
                }
            },
        };
        listener.SetMeasurementEventCallback<long>((instrument, value, _, _) => totals.AddOrUpdate(instrument.Name, value, (_, v) => v + value));
        listener.Start();

        await WalkAsync(host, identity, -52, 2);
        await host.Ingestor.IngestAsync("gw-1", BleReportFormat.Ndjson, Utf8("garbage\n"));

        Assert.Equal(10, totals.GetValueOrDefault("eventkit.ble.adverts.parsed"));
        Assert.Equal(10, totals.GetValueOrDefault("eventkit.ble.adverts.resolved"));
        Assert.Equal(1, totals.GetValueOrDefault("eventkit.ble.adverts.rejected"));
        Assert.Equal(1, totals.GetValueOrDefault("eventkit.ble.presence.enters"));
    }
}
