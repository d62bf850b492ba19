using FsCheck;
using FsCheck.Fluent;

namespace EventKit.Gates.Ble.Tests.Advertising;

public sealed class BleAdvertParserTests
{
    // Flags, then manufacturer data: company 4C 00, 02 15, UUID, major 0x0102, minor 0x0304, power -59 (0xC5).
    private const string IBeacon = "020106" + "1AFF4C000215" + "E2C56DB5DFFB48D2B060D0F5A71096E0" + "0102" + "0304" + "C5";

    // Complete 16-bit UUIDs FEAA, then service data FEAA frame 0x30, tx -20 (0xEC), EID 0011223344556677.
    private const string EddystoneEid = "020106" + "0303AAFE" + "0D16AAFE30EC0011223344556677";

    private static BleAdvert Parse(string hex, int max = BleAdvertParser.DefaultMaxLength) => BleAdvertParser.Parse(Convert.FromHexString(hex), max);

    [Fact]
    public void IBeaconFrameIsDecoded()
    {
        var advert = Parse(IBeacon);

        Assert.Equal(AdvertParseStatus.Complete, advert.Status);
        Assert.Equal(2, advert.StructureCount);
        Assert.True(advert.HasFlags);
        Assert.Equal(0x06, advert.Flags);
        Assert.Equal(BleFrameKind.IBeacon, advert.Frame);
        Assert.True(advert.TryGetIBeacon(out var frame));
        Assert.Equal(Guid.Parse("e2c56db5-dffb-48d2-b060-d0f5a71096e0"), frame.Uuid);
        Assert.Equal(0x0102, frame.Major);
        Assert.Equal(0x0304, frame.Minor);
        Assert.Equal(-59, frame.MeasuredPower);
        Assert.True(advert.TryGetMeasuredPowerAt1m(out var p1m));
        Assert.Equal(-59, p1m);
        Assert.Equal(BleAdvertParser.AppleCompanyId, advert.CompanyId);
        Assert.False(advert.TryGetEddystoneEid(out _));
    }

    [Fact]
    public void AltBeaconFrameIsDecoded()
    {
        var beaconId = "000102030405060708090A0B0C0D0E0F10111213";
        var advert = Parse("1BFF1801BEAC" + beaconId + "C3" + "7F");

        Assert.Equal(BleFrameKind.AltBeacon, advert.Frame);
        Assert.True(advert.TryGetAltBeacon(out var frame));
        Assert.Equal(0x0118, frame.CompanyId);
        Assert.Equal(Convert.FromHexString(beaconId), frame.BeaconId.ToArray());
        Assert.Equal(-61, frame.ReferenceRssi);
        Assert.Equal(0x7F, frame.Reserved);
    }

    [Theory]
    [InlineData("0000")]
    [InlineData("")]
    public void EddystoneUidFrameIsDecodedWithOrWithoutRfu(string rfu)
    {
        var body = "E7" + "00112233445566778899" + "0000000004D2" + rfu;
        var serviceData = "AAFE00" + body;
        var advert = Parse($"{(serviceData.Length / 2) + 1:X2}16{serviceData}");

        Assert.Equal(BleFrameKind.EddystoneUid, advert.Frame);
        Assert.True(advert.TryGetEddystoneUid(out var frame));
        Assert.Equal(-25, frame.TxPowerAt0m);
        Assert.Equal(Convert.FromHexString("00112233445566778899"), frame.Namespace.ToArray());
        Assert.Equal(1234UL, frame.InstanceNumber);
        Assert.True(advert.TryGetMeasuredPowerAt1m(out var p1m));
        Assert.Equal(-25 - 41, p1m);
    }

    [Fact]
    public void EddystoneUrlFrameIsDecodedAndExpanded()
    {
        // https://www. + "example" + ".com/"
        var advert = Parse("0E16AAFE10EB01" + "6578616D706C65" + "00");

        Assert.Equal(BleFrameKind.EddystoneUrl, advert.Frame);
        Assert.True(advert.TryGetEddystoneUrl(out var frame));
        Assert.Equal(-21, frame.TxPowerAt0m);
        Assert.True(frame.TryDecode(out var url));
        Assert.Equal("https://www.example.com/", url);
    }

    [Fact]
    public void EddystoneTlmFrameIsDecoded()
    {
        var advert = Parse("1116AAFE20" + "00" + "0BB8" + "1780" + "00000064" + "000003E8");

        Assert.Equal(BleFrameKind.EddystoneTlm, advert.Frame);
        Assert.True(advert.TryGetEddystoneTlm(out var frame));
        Assert.Equal(3000, frame.BatteryMillivolts);
        Assert.Equal(23.5, frame.TemperatureCelsius);
        Assert.Equal(100u, frame.AdvertCount);
        Assert.Equal(1000u, frame.UptimeDeciseconds);
    }

    [Fact]
    public void EddystoneEidFrameIsDecodedByBothPaths()
    {
        var advert = Parse(EddystoneEid);

        Assert.Equal(BleFrameKind.EddystoneEid, advert.Frame);
        Assert.True(advert.TryGetEddystoneEid(out var frame));
        Assert.Equal(0x0011223344556677UL, frame.Eid);
        Assert.Equal(-20, frame.TxPowerAt0m);
        Assert.Equal(Convert.FromHexString("AAFE"), advert.ServiceUuids16.ToArray());
        Assert.True(BleAdvertParser.TryReadEddystoneEid(Convert.FromHexString(EddystoneEid), out var eid, out var tx));
        Assert.Equal(0x0011223344556677UL, eid);
        Assert.Equal(-20, tx);
    }

    [Fact]
    public void NamesTxPowerAndRawDataAreExposed()
    {
        // Shortened name "ab", complete name "Badge", tx +4, manufacturer 0x0499 (Ruuvi) data 05 01, service data 0x181A.
        var advert = Parse("030861620609426164676502 0A04 05FF99040501 05161A18AABB".Replace(" ", string.Empty, StringComparison.Ordinal));

        Assert.Equal("Badge"u8.ToArray(), advert.LocalName.ToArray());
        Assert.True(advert.IsLocalNameComplete);
        Assert.True(advert.HasTxPower);
        Assert.Equal(4, advert.TxPower);
        Assert.True(advert.HasManufacturerData);
        Assert.Equal(0x0499, advert.CompanyId);
        Assert.Equal(new byte[] { 0x05, 0x01 }, advert.ManufacturerData.ToArray());
        Assert.True(advert.HasServiceData);
        Assert.Equal(0x181A, advert.ServiceDataUuid);
        Assert.Equal(new byte[] { 0xAA, 0xBB }, advert.ServiceData.ToArray());
        Assert.Equal(BleFrameKind.None, advert.Frame);
        Assert.False(advert.TryGetMeasuredPowerAt1m(out _));
    }

    [Fact]
    public void TruncatedStructureKeepsWhatCameBefore()
    {
        // The iBeacon structure claims 26 bytes but the input ends 5 bytes early.
        var advert = Parse(IBeacon[..^10]);

        Assert.Equal(AdvertParseStatus.Truncated, advert.Status);
        Assert.Equal(1, advert.StructureCount);
        Assert.Equal(3, advert.BytesRead);
        Assert.True(advert.HasFlags);
        Assert.Equal(BleFrameKind.None, advert.Frame);
    }

    [Fact]
    public void LengthByteAsLastByteIsTruncated()
    {
        var advert = Parse("02010605");

        Assert.Equal(AdvertParseStatus.Truncated, advert.Status);
        Assert.Equal(1, advert.StructureCount);
    }

    [Fact]
    public void ZeroLengthEndsThePayloadAndPaddingIsIgnored()
    {
        var advert = Parse("020106" + "00" + "FFFFFFFF");

        Assert.Equal(AdvertParseStatus.Terminated, advert.Status);
        Assert.Equal(1, advert.StructureCount);
    }

    [Fact]
    public void EmptyInputIsReportedAsEmpty()
    {
        var advert = Parse(string.Empty);

        Assert.Equal(AdvertParseStatus.Empty, advert.Status);
        Assert.Equal(0, advert.StructureCount);
    }

    [Fact]
    public void InputOverTheMaximumIsCutAndReportedTooLong()
    {
        var advert = Parse(IBeacon, max: 10);

        Assert.Equal(AdvertParseStatus.TooLong, advert.Status);
        Assert.True(advert.HasFlags);
        Assert.Equal(BleFrameKind.None, advert.Frame);
    }

    [Fact]
    public void LongExtendedAdvertUnderTheMaximumIsRead()
    {
        // 60 manufacturer structures of 20 bytes each: 1,260 bytes, then the EID frame.
        var filler = string.Concat(Enumerable.Repeat("13FF" + new string('A', 36), 60));
        var advert = Parse(filler + EddystoneEid);

        Assert.Equal(AdvertParseStatus.Complete, advert.Status);
        Assert.Equal(63, advert.StructureCount);
        Assert.Equal(BleFrameKind.EddystoneEid, advert.Frame);
    }

    [Theory]
    [InlineData("1BFF4C000215E2C56DB5DFFB48D2B060D0F5A71096E001020304C500")] // iBeacon one byte too long
    [InlineData("19FF4C000215E2C56DB5DFFB48D2B060D0F5A71096E001020304")] // iBeacon one byte short
    [InlineData("0C16AAFE30EC00112233445566")] // EID one byte short
    [InlineData("0E16AAFE30EC001122334455667788")] // EID one byte too long
    [InlineData("1216AAFE2000000BB8178000000064000003E8")] // TLM one byte too long
    [InlineData("0516AAFE10EB")] // URL without scheme
    public void FrameWithWrongLengthIsNotDecoded(string hex)
    {
        var advert = Parse(hex);

        Assert.Equal(AdvertParseStatus.Complete, advert.Status);
        Assert.Equal(BleFrameKind.None, advert.Frame);
        Assert.Equal(BleFrameError.WrongLength, advert.FrameError);
        Assert.False(BleAdvertParser.TryReadEddystoneEid(Convert.FromHexString(hex), out _, out _));
    }

    [Fact]
    public void UnknownEddystoneFrameIsReported()
    {
        var advert = Parse("0616AAFE40EC00");

        Assert.Equal(BleFrameKind.None, advert.Frame);
        Assert.Equal(BleFrameError.UnknownEddystoneFrame, advert.FrameError);
    }

    [Fact]
    public void RandomBytesNeverThrowAndStayInsideTheInput()
    {
        Prop.ForAll<byte[]>(bytes =>
        {
            var advert = BleAdvertParser.Parse(bytes);
            var bytesWithin = advert.BytesRead <= bytes.Length;
            var slicesWithin = Within(bytes, advert.LocalName) && Within(bytes, advert.ManufacturerData) && Within(bytes, advert.ServiceData)
                && Within(bytes, advert.ServiceUuids16) && Within(bytes, advert.ServiceUuids128);
            _ = BleAdvertParser.TryReadEddystoneEid(bytes, out _, out _);
            _ = advert.TryGetIBeacon(out _);
            _ = advert.TryGetEddystoneTlm(out _);
            _ = advert.TryGetMeasuredPowerAt1m(out _);
            return bytesWithin && slicesWithin;
        }).QuickCheckThrowOnFailure();
    }

    [Fact]
    public void RandomStructuresAroundFramesNeverThrowAndRespectTheMaximum()
    {
        // Random bytes rarely form AD structures; build plausible ones with random lengths and frame headers.
        var structure = from type in Gen.Elements<byte>(0x01, 0x08, 0x09, 0x0A, 0x16, 0xFF, 0x03, 0x07)
                        from header in Gen.Elements("", "AAFE00", "AAFE10", "AAFE20", "AAFE30", "4C000215", "1801BEAC")
                        from tail in ArbMap.Default.GeneratorFor<byte[]>()
                        select Build(type, header, tail);
        var adverts = Gen.ListOf(structure).Select(parts => parts.SelectMany(p => p).ToArray());
        var max = Gen.Choose(0, 200);

        Prop.ForAll(adverts.ToArbitrary(), max.ToArbitrary(), (bytes, maxLength) =>
        {
            var advert = BleAdvertParser.Parse(bytes, maxLength);
            var status = bytes.Length > maxLength ? advert.Status is AdvertParseStatus.TooLong or AdvertParseStatus.Terminated : advert.Status != AdvertParseStatus.TooLong;
            return advert.BytesRead <= Math.Min(bytes.Length, maxLength) && status;
        }).QuickCheckThrowOnFailure();
    }

    private static byte[] Build(byte type, string header, byte[] tail)
    {
        var data = Convert.FromHexString(header).Concat(tail).Take(250).ToArray();

        // Sometimes lie about the length to exercise truncation.
        var length = tail.Length % 7 == 0 ? data.Length + 5 : data.Length + 1;
        return [(byte)Math.Min(length, 255), type, .. data];
    }

    private static bool Within(byte[] buffer, ReadOnlySpan<byte> slice)
    {
        if (slice.IsEmpty)
        {
            return true;
        }

        var whole = buffer.AsSpan();
        return whole.Overlaps(slice, out var offset) && offset >= 0 && offset + slice.Length <= whole.Length;
    }
}
