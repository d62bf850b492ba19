using FsCheck;
using FsCheck.Fluent;

namespace EventKit.Gates.Ble.Tests.Gateways;

public sealed class BtsnoopReaderTests
{
    private static readonly byte[] Report = HciCaptures.AdvertisingReport((0xC6A512345678, [2, 1, 6], -63));

    [Fact]
    public void ReadsAdvertisingReportsFromABtmonCapture()
    {
        // Monitor datalink: opcode 3 = event, 2 = command (skipped); controller index 0.
        var capture = HciCaptures.Btsnoop(
            2001,
            (0x0003, 1763715600123, Report),
            (0x0002, 1763715600200, [0x01, 0x0C, 0x00]),
            (0x0003, 1763715600300, [0x0E, 0x04, 0x01, 0x0C, 0x20, 0x00]),
            (0x0003, 1763715600400, Report));
        using var batch = new BleSightingBatch();

        var result = BtsnoopReader.Read(capture, "replay", batch);

        Assert.Equal(new BtsnoopReadResult(4, 2, false), result);
        Assert.Equal(2, batch.Count);
        Assert.Equal(1763715600123, batch.Sightings[0].TimestampMs);
        Assert.Equal(1763715600400, batch.Sightings[1].TimestampMs);
        Assert.Equal(0xC6A512345678UL, batch.Sightings[0].Mac);
    }

    [Fact]
    public void ReadsH4AndH1Captures()
    {
        var h4 = HciCaptures.Btsnoop(1002, (0x3, 1000, [0x04, .. Report]), (0x0, 1000, [0x01, 0x0C, 0x00, 0x00]));
        var h1 = HciCaptures.Btsnoop(1001, (0x3, 1000, Report), (0x2, 1000, Report));
        using var batch = new BleSightingBatch();

        Assert.Equal(1, BtsnoopReader.Read(h4, "gw", batch).AdvertisingEvents);
        Assert.Equal(1, BtsnoopReader.Read(h1, "gw", batch).AdvertisingEvents);
        Assert.Equal(2, batch.Count);
    }

    [Fact]
    public void CaptureCutInARecordKeepsEarlierRecords()
    {
        var capture = HciCaptures.Btsnoop(2001, (0x3, 1000, Report), (0x3, 2000, Report));
        using var batch = new BleSightingBatch();

        var result = BtsnoopReader.Read(capture.AsSpan(0, capture.Length - 4), "gw", batch);

        Assert.True(result.Truncated);
        Assert.Equal(1, result.Records);
        Assert.Equal(1, batch.Count);
    }

    [Theory]
    [InlineData("6E6F74736E6F6F70000000010000000007D1")]
    [InlineData("6274736E6F6F70000000000100000064")]
    [InlineData("")]
    public void BadHeaderThrowsAFormatException(string hex)
    {
        using var batch = new BleSightingBatch();

        Assert.Throws<BleReportFormatException>(() => BtsnoopReader.Read(Convert.FromHexString(hex), "gw", batch));
    }

    [Fact]
    public void RandomRecordsAfterAValidHeaderNeverThrow()
    {
        Prop.ForAll<byte[], uint>((tail, datalinkChoice) =>
        {
            uint[] datalinks = [1001, 1002, 2001];
            var header = HciCaptures.Btsnoop(datalinks[datalinkChoice % 3]);
            using var batch = new BleSightingBatch();
            var result = BtsnoopReader.Read([.. header, .. tail ?? []], "gw", batch);
            return result.Records >= 0 && batch.Count <= (tail?.Length ?? 0);
        }).QuickCheckThrowOnFailure();
    }
    [Fact]
    public void RecordsHoldingAdvertisingEventsWithInconsistentLengthsNeverThrow()
    {
        // Well-formed records whose HCI events declare random parameter lengths, report counts and data lengths.
        Prop.ForAll<ushort, byte[], uint>((lengths, body, datalinkChoice) =>
        {
            uint[] datalinks = [1001, 1002, 2001];
            uint[] flags = [0x3, 0x0, 0x3];
            var datalink = datalinks[datalinkChoice % 3];
            byte[] hciEvent = [0x3E, (byte)lengths, (lengths & 0x100) == 0 ? (byte)0x02 : (byte)0x0D, (byte)(lengths >> 9), .. body ?? []];
            byte[] packet = datalink == 1002 ? [0x04, .. hciEvent] : hciEvent;
            var capture = HciCaptures.Btsnoop(datalink, (flags[datalinkChoice % 3], 0, packet), (flags[datalinkChoice % 3], 0, packet[..Math.Min(packet.Length, 3)]));
            using var batch = new BleSightingBatch();
            var result = BtsnoopReader.Read(capture, "gw", batch);
            return result.Records == 2 && !result.Truncated && batch.Count <= hciEvent.Length;
        }).QuickCheckThrowOnFailure();
    }
}
