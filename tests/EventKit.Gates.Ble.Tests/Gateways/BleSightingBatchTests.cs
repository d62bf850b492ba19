namespace EventKit.Gates.Ble.Tests.Gateways;

public sealed class BleSightingBatchTests
{
    [Fact]
    public void AddCopiesTheAdvertAndKeepsEarlierOnesValidAcrossChunks()
    {
        using var batch = new BleSightingBatch();
        var source = new byte[1000];

        for (var i = 0; i < 200; i++)
        {
            source.AsSpan().Fill((byte)i);
            batch.Add("gw", (ulong)i, -60, i, source);
        }

        source.AsSpan().Clear();
        Assert.Equal(200, batch.Count);
        for (var i = 0; i < 200; i++)
        {
            var advert = batch.Sightings[i].Advert.Span;
            Assert.Equal(1000, advert.Length);
            Assert.Equal((byte)i, advert[0]);
            Assert.Equal((byte)i, advert[^1]);
        }
    }

    [Fact]
    public void ClearEmptiesTheBatchForReuse()
    {
        using var batch = new BleSightingBatch();
        batch.Add("gw", 1, -60, 0, [2, 1, 6]);
        batch.Rejected = 3;
        batch.Nonce = 9;

        batch.Clear();
        batch.Add("gw", 2, -61, 0, [1]);

        Assert.Equal(1, batch.Count);
        Assert.Equal(0, batch.Rejected);
        Assert.Null(batch.Nonce);
        Assert.Equal(2UL, batch.Sightings[0].Mac);
        Assert.Equal(new byte[] { 1 }, batch.Sightings[0].Advert.ToArray());
    }

    [Fact]
    public void AdvertLargerThanAChunkGetsItsOwn()
    {
        using var batch = new BleSightingBatch();
        var large = new byte[100_000];
        large[^1] = 7;

        batch.Add("gw", 1, -60, 0, large);

        Assert.Equal(7, batch.Sightings[0].Advert.Span[^1]);
    }
}
