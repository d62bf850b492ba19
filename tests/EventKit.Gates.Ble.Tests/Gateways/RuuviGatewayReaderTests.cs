using System.Text;

namespace EventKit.Gates.Ble.Tests.Gateways;

public sealed class RuuviGatewayReaderTests
{
    private const string Report = """
        {"data":{"coordinates":"","timestamp":"1763715600","nonce":"2065598963","gw_mac":"C8:25:2D:8E:9C:2C",
          "tags":{
            "C6:A5:12:34:56:78":{"rssi":-71,"timestamp":"1763715599","data":"0201060303AAFE0D16AAFE30EC0011223344556677"},
            "D1:00:00:00:00:01":{"rssi":-80,"data":"020106","counter":3},
            "bad-mac":{"rssi":-80,"timestamp":"1763715599","data":"020106"},
            "D1:00:00:00:00:02":{"rssi":-80,"timestamp":"1763715599","data":"XYZ"},
            "D1:00:00:00:00:03":{"timestamp":"1763715599","data":"020106"}
          }}}
        """;

    [Fact]
    public void ReadsTagsNonceAndTimestamps()
    {
        using var batch = new BleSightingBatch();

        RuuviGatewayReader.Read(Encoding.UTF8.GetBytes(Report), "gw-ruuvi", 0, batch);

        Assert.Equal(2, batch.Count);
        Assert.Equal(3, batch.Rejected);
        Assert.Equal(2065598963UL, batch.Nonce);
        var first = batch.Sightings[0];
        Assert.Equal(0xC6A512345678UL, first.Mac);
        Assert.Equal(-71, first.Rssi);
        Assert.Equal(1763715599000, first.TimestampMs);
        Assert.Equal(Convert.FromHexString("0201060303AAFE0D16AAFE30EC0011223344556677"), first.Advert.ToArray());

        // No tag timestamp: the batch's.
        Assert.Equal(1763715600000, batch.Sightings[1].TimestampMs);
    }

    [Fact]
    public void NumbersInsteadOfStringsAreAccepted()
    {
        var json = """{"data":{"timestamp":1763715600,"nonce":7,"tags":{"C6:A5:12:34:56:78":{"rssi":-71,"timestamp":1763715601,"data":"020106"}}}}""";
        using var batch = new BleSightingBatch();

        RuuviGatewayReader.Read(Encoding.UTF8.GetBytes(json), "gw", 0, batch);

        Assert.Equal(7UL, batch.Nonce);
        Assert.Equal(1763715601000, batch.Sightings[0].TimestampMs);
    }

    [Theory]
    [InlineData("")]
    [InlineData("not json")]
    [InlineData("[]")]
    [InlineData("{}")]
    [InlineData("{\"data\":[]}")]
    [InlineData("{\"data\":{\"timestamp\":\"1\"}}")]
    [InlineData("{\"data\":{\"tags\":[]}}")]
    [InlineData("{\"data\":{\"tags\":{\"C6:A5:12:34:56:78\":{\"rssi\":-71")]
    [InlineData("{\"data\":{\"tags\":{}}} {}")]
    public void MalformedEnvelopeThrowsAFormatException(string json)
    {
        using var batch = new BleSightingBatch();

        Assert.Throws<BleReportFormatException>(() => RuuviGatewayReader.Read(Encoding.UTF8.GetBytes(json), "gw", 0, batch));
    }

    [Fact]
    public void TagThatIsNotAnObjectIsRejected()
    {
        var json = """{"data":{"tags":{"C6:A5:12:34:56:78":[1,2],"C6:A5:12:34:56:79":{"rssi":-71,"data":"020106"}}}}""";
        using var batch = new BleSightingBatch();

        RuuviGatewayReader.Read(Encoding.UTF8.GetBytes(json), "gw", 5000, batch);

        Assert.Equal(1, batch.Rejected);
        Assert.Equal(1, batch.Count);
        Assert.Equal(5000, batch.Sightings[0].TimestampMs);
        Assert.Null(batch.Nonce);
    }
}
