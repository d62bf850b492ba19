namespace EventKit.Gates.Ble.Tests.Advertising;

public sealed class AdStructureReaderTests
{
    [Fact]
    public void WalksEveryStructureWithForeach()
    {
        var types = new List<byte>();
        var lengths = new List<int>();

        foreach (var structure in new AdStructureReader(Convert.FromHexString("020106" + "03033412" + "01FF")))
        {
            types.Add(structure.Type);
            lengths.Add(structure.Data.Length);
        }

        Assert.Equal(new byte[] { 0x01, 0x03, 0xFF }, types);
        Assert.Equal(new[] { 1, 2, 0 }, lengths);
    }

    [Theory]
    [InlineData("020106", AdvertParseStatus.Complete, 3)]
    [InlineData("02010600", AdvertParseStatus.Terminated, 3)]
    [InlineData("020106FF", AdvertParseStatus.Truncated, 3)]
    [InlineData("", AdvertParseStatus.Empty, 0)]
    public void StatusSaysWhyTheWalkEnded(string hex, AdvertParseStatus status, int bytesRead)
    {
        var reader = new AdStructureReader(Convert.FromHexString(hex));
        while (reader.MoveNext())
        {
        }

        Assert.Equal(status, reader.Status);
        Assert.Equal(bytesRead, reader.BytesRead);
    }

    [Fact]
    public void StructureCutByTheMaximumIsTooLongNotTruncated()
    {
        var reader = new AdStructureReader(Convert.FromHexString("0201060303AAFE"), maxLength: 5);
        var count = 0;
        while (reader.MoveNext())
        {
            count++;
        }

        Assert.Equal(1, count);
        Assert.Equal(AdvertParseStatus.TooLong, reader.Status);
    }

    [Fact]
    public void NegativeMaximumReadsNothing()
    {
        var reader = new AdStructureReader(Convert.FromHexString("020106"), maxLength: -1);

        Assert.False(reader.MoveNext());
        Assert.Equal(AdvertParseStatus.TooLong, reader.Status);
    }
}
