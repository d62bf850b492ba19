using System.Text;
using FsCheck;
using FsCheck.Fluent;

namespace EventKit.Gates.Ble.Tests.Gateways;

public sealed class NdjsonSightingReaderTests
{
    private const string Eid = "0201060303AAFE0D16AAFE30EC0011223344556677";

    [Fact]
    public void ReadsEveryWellFormedLine()
    {
        var text = $$"""
            {"t":1763715600123,"mac":"C6:A5:12:34:56:78","rssi":-63,"adv":"{{Eid}}"}
            {"extra":{"nested":[1,2]},"mac":"c6a512345679","rssi":-70,"adv":"020106"}

            """;
        using var batch = new BleSightingBatch();

        var consumed = NdjsonSightingReader.Read(Encoding.UTF8.GetBytes(text), isFinalBlock: true, "gw-1", 42, batch);

        Assert.Equal(Encoding.UTF8.GetByteCount(text), consumed);
        Assert.Equal(2, batch.Count);
        Assert.Equal(0, batch.Rejected);
        var first = batch.Sightings[0];
        Assert.Equal("gw-1", first.GatewayId);
        Assert.Equal(0xC6A512345678UL, first.Mac);
        Assert.Equal(-63, first.Rssi);
        Assert.Equal(1763715600123, first.TimestampMs);
        Assert.Equal(Convert.FromHexString(Eid), first.Advert.ToArray());
        Assert.Equal(42, batch.Sightings[1].TimestampMs);
        Assert.Equal(new byte[] { 2, 1, 6 }, batch.Sightings[1].Advert.ToArray());
    }

    [Theory]
    [InlineData("not json")]
    [InlineData("{\"t\":1,\"mac\":\"C6:A5:12:34:56\",\"rssi\":-63,\"adv\":\"020106\"}")]
    [InlineData("{\"t\":1,\"mac\":\"C6:A5:12:34:56:78\",\"adv\":\"020106\"}")]
    [InlineData("{\"t\":1,\"mac\":\"C6:A5:12:34:56:78\",\"rssi\":-63,\"adv\":\"02010\"}")]
    [InlineData("{\"t\":1,\"mac\":\"C6:A5:12:34:56:78\",\"rssi\":-63,\"adv\":\"0201ZZ\"}")]
    [InlineData("{\"t\":\"x\",\"mac\":\"C6:A5:12:34:56:78\",\"rssi\":-63,\"adv\":\"020106\"}")]
    [InlineData("{\"t\":1,\"mac\":\"C6:A5:12:34:56:78\",\"rssi\":-63,\"adv\":\"020106\"} trailing")]
    [InlineData("{\"t\":1,\"mac\":\"C6:A5:12:34:56:78\",\"rssi\":-300,\"adv\":\"020106\"}")]
    [InlineData("[1,2,3]")]
    [InlineData("{\"t\":1,\"mac\":\"C6:A5:12:34:56:78\",\"rssi\":-63,\"adv\":\"020106\"")]
    public void MalformedLineIsRejectedAndTheNextLineStillRead(string bad)
    {
        var text = bad + "\n{\"mac\":\"C6:A5:12:34:56:78\",\"rssi\":-63,\"adv\":\"020106\"}\n";
        using var batch = new BleSightingBatch();

        NdjsonSightingReader.Read(Encoding.UTF8.GetBytes(text), isFinalBlock: true, "gw", 0, batch);

        Assert.Equal(1, batch.Rejected);
        Assert.Equal(1, batch.Count);
        Assert.Equal(new byte[] { 2, 1, 6 }, batch.Sightings[0].Advert.ToArray());
    }

    [Fact]
    public void OverLongAdvertIsRejected()
    {
        var line = $"{{\"mac\":\"C6:A5:12:34:56:78\",\"rssi\":-63,\"adv\":\"{new string('A', 2 * 40)}\"}}";
        using var batch = new BleSightingBatch();

        NdjsonSightingReader.Read(Encoding.UTF8.GetBytes(line), isFinalBlock: true, "gw", 0, batch, maxAdvertLength: 31);

        Assert.Equal(0, batch.Count);
        Assert.Equal(1, batch.Rejected);
    }

    [Fact]
    public void PartialLastLineIsLeftForTheNextBlock()
    {
        var bytes = Encoding.UTF8.GetBytes("{\"mac\":\"C6:A5:12:34:56:78\",\"rssi\":-63,\"adv\":\"020106\"}\n{\"mac\":\"C6:A5");
        using var batch = new BleSightingBatch();

        var consumed = NdjsonSightingReader.Read(bytes, isFinalBlock: false, "gw", 0, batch);

        Assert.Equal(1, batch.Count);
        Assert.Equal(0, batch.Rejected);
        Assert.Equal("{\"mac\":\"C6:A5", Encoding.UTF8.GetString(bytes.AsSpan(consumed)));
    }

    [Fact]
    public void ManyLinesGrowTheBatchAndKeepEveryAdvertIntact()
    {
        var builder = new StringBuilder();
        for (var i = 0; i < 5000; i++)
        {
            builder.Append(System.Globalization.CultureInfo.InvariantCulture, $"{{\"t\":{i},\"mac\":\"00:00:00:00:{i >> 8:X2}:{i & 0xFF:X2}\",\"rssi\":-60,\"adv\":\"{i:X8}{new string('0', 40)}\"}}\n");
        }

        using var batch = new BleSightingBatch();
        NdjsonSightingReader.Read(Encoding.UTF8.GetBytes(builder.ToString()), isFinalBlock: true, "gw", 0, batch);

        Assert.Equal(5000, batch.Count);
        for (var i = 0; i < 5000; i += 499)
        {
            Assert.Equal((ulong)i, batch.Sightings[i].Mac);
            Assert.Equal(i, System.Buffers.Binary.BinaryPrimitives.ReadInt32BigEndian(batch.Sightings[i].Advert.Span));
        }

        batch.Clear();
        Assert.Equal(0, batch.Count);
    }

    [Fact]
    public void RandomTextNeverThrows()
    {
        Prop.ForAll<string>(text =>
        {
            using var batch = new BleSightingBatch();
            var bytes = Encoding.UTF8.GetBytes(text ?? string.Empty);
            var consumed = NdjsonSightingReader.Read(bytes, isFinalBlock: true, "gw", 0, batch);
            return consumed == bytes.Length && batch.Count + batch.Rejected <= bytes.Length;
        }).QuickCheckThrowOnFailure();
    }
}
