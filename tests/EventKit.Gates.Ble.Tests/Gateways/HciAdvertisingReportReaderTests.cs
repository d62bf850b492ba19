using FsCheck;
using FsCheck.Fluent;

namespace EventKit.Gates.Ble.Tests.Gateways;

public sealed class HciAdvertisingReportReaderTests
{
    [Fact]
    public void ReadsEveryReportOfAnEvent()
    {
        var packet = HciCaptures.AdvertisingReport((0xC6A512345678, [2, 1, 6], -63), (0x112233445566, [], -90));
        using var batch = new BleSightingBatch();

        Assert.True(HciAdvertisingReportReader.Read(packet, "hci0", 1000, batch));

        Assert.Equal(2, batch.Count);
        Assert.Equal(0xC6A512345678UL, batch.Sightings[0].Mac);
        Assert.Equal(-63, batch.Sightings[0].Rssi);
        Assert.Equal(new byte[] { 2, 1, 6 }, batch.Sightings[0].Advert.ToArray());
        Assert.Equal(1000, batch.Sightings[0].TimestampMs);
        Assert.Equal(0x112233445566UL, batch.Sightings[1].Mac);
        Assert.True(batch.Sightings[1].Advert.IsEmpty);
    }

    [Fact]
    public void ReadsExtendedAdvertisingReportsAndRejectsFragments()
    {
        var packet = HciCaptures.ExtendedAdvertisingReport((0xC6A512345678, [2, 1, 6], -63, 0), (0x2, [2, 1, 6], -70, 1), (0x3, [2, 1, 6], 127, 0), (0x4, [], -80, 0));
        using var batch = new BleSightingBatch();

        Assert.True(HciAdvertisingReportReader.Read(packet, "hci0", 1000, batch));

        Assert.Equal(2, batch.Count);
        Assert.Equal(2, batch.Rejected);
        Assert.Equal(0xC6A512345678UL, batch.Sightings[0].Mac);
        Assert.Equal(-63, batch.Sightings[0].Rssi);
        Assert.Equal(new byte[] { 2, 1, 6 }, batch.Sightings[0].Advert.ToArray());
        Assert.Equal(4UL, batch.Sightings[1].Mac);
    }

    [Fact]
    public void TruncatedExtendedReportIsRejected()
    {
        var packet = HciCaptures.ExtendedAdvertisingReport((1, [2, 1, 6], -63, 0), (2, [2, 1, 6], -63, 0));
        using var batch = new BleSightingBatch();

        HciAdvertisingReportReader.Read(packet.AsSpan(0, packet.Length - 2), "hci0", 0, batch);

        Assert.Equal(1, batch.Count);
        Assert.Equal(1, batch.Rejected);
    }

    [Fact]
    public void OtherEventsAreIgnored()
    {
        using var batch = new BleSightingBatch();

        Assert.False(HciAdvertisingReportReader.Read([0x0E, 0x04, 0x01, 0x0C, 0x20, 0x00], "hci0", 0, batch));
        Assert.False(HciAdvertisingReportReader.Read([0x3E, 0x02, 0x0E, 0x00], "hci0", 0, batch));
        Assert.False(HciAdvertisingReportReader.Read([], "hci0", 0, batch));

        Assert.Equal(0, batch.Count + batch.Rejected);
    }

    [Fact]
    public void TruncatedReportIsRejectedAndEarlierReportsKept()
    {
        var packet = HciCaptures.AdvertisingReport((1, [2, 1, 6], -63), (2, [2, 1, 6, 9, 9], -70));
        using var batch = new BleSightingBatch();

        HciAdvertisingReportReader.Read(packet.AsSpan(0, packet.Length - 3), "hci0", 0, batch);

        Assert.Equal(1, batch.Count);
        Assert.Equal(1, batch.Rejected);
    }

    [Fact]
    public void ReportWithoutRssiIsRejected()
    {
        var packet = HciCaptures.AdvertisingReport((1, [2, 1, 6], 127), (2, [2, 1, 6], -70));
        using var batch = new BleSightingBatch();

        HciAdvertisingReportReader.Read(packet, "hci0", 0, batch);

        Assert.Equal(1, batch.Count);
        Assert.Equal(2UL, batch.Sightings[0].Mac);
        Assert.Equal(1, batch.Rejected);
    }

    [Fact]
    public void ReportCountLargerThanThePacketRejectsTheMissingOnes()
    {
        var packet = HciCaptures.AdvertisingReport((1, [2, 1, 6], -63));
        packet[3] = 5;
        using var batch = new BleSightingBatch();

        HciAdvertisingReportReader.Read(packet, "hci0", 0, batch);

        Assert.Equal(1, batch.Count);
        Assert.Equal(4, batch.Rejected);
    }

    [Fact]
    public void RandomEventsNeverThrowOrReadPastTheEnd()
    {
        Prop.ForAll<byte[]>(body =>
        {
            byte[] packet = [0x3E, (byte)((body?.Length ?? 0) + 1), (body?.Length ?? 0) % 2 == 0 ? (byte)0x02 : (byte)0x0D, .. body ?? []];
            using var batch = new BleSightingBatch();
            HciAdvertisingReportReader.Read(packet, "hci0", 0, batch);
            var advertBytes = 0;
            foreach (var sighting in batch.Sightings)
            {
                advertBytes += sighting.Advert.Length;
            }

            return advertBytes <= packet.Length;
        }).QuickCheckThrowOnFailure();
    }
    [Theory]
    [InlineData("3E00020101")]
    [InlineData("3E01020101")]
    [InlineData("3E000D0101")]
    [InlineData("3E010D0101")]
    public void DeclaredParameterLengthOfZeroOrOneIsIgnored(string hex)
    {
        using var batch = new BleSightingBatch();

        // Too short to hold the subevent and the report count: not an advertising report, nothing added or rejected.
        Assert.False(HciAdvertisingReportReader.Read(Convert.FromHexString(hex), "hci0", 0, batch));

        Assert.Equal(0, batch.Count);
        Assert.Equal(0, batch.Rejected);
    }

    [Fact]
    public void RandomEventsWithInconsistentDeclaredLengthsNeverThrow()
    {
        // The declared parameter length, the report count and every report's data length are random and need not agree
        // with the packet's real length.
        Prop.ForAll<ushort, bool, byte[]>((lengths, extended, body) =>
        {
            var declared = (byte)lengths;
            var reports = (byte)(lengths >> 8);
            byte[] packet = [0x3E, declared, extended ? (byte)0x0D : (byte)0x02, reports, .. body ?? []];
            using var batch = new BleSightingBatch();
            HciAdvertisingReportReader.Read(packet, "hci0", 0, batch);
            var advertBytes = 0;
            foreach (var sighting in batch.Sightings)
            {
                advertBytes += sighting.Advert.Length;
            }

            return advertBytes <= packet.Length && batch.Count + batch.Rejected <= reports;
        }).QuickCheckThrowOnFailure();
    }
}
