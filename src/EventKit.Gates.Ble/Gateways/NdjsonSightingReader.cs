using System.Text.Json;
using EventKit.Gates.Ble.Internal;

namespace EventKit.Gates.Ble;

/// <summary>Reads the NDJSON gateway format: one <c>{"t":&lt;unix ms&gt;,"mac":"C6:A5:…","rssi":-63,"adv":"&lt;hex&gt;"}</c> a line.</summary>
/// <remarks>A malformed line is counted in <see cref="BleSightingBatch.Rejected"/> and skipped; it never fails the report.
/// Nothing is allocated per line: the advert hex is decoded straight into the batch's pooled memory.</remarks>
public static class NdjsonSightingReader
{
    /// <summary>Reads every complete line of <paramref name="utf8"/>.</summary>
    /// <param name="utf8">NDJSON text.</param>
    /// <param name="isFinalBlock">Whether <paramref name="utf8"/> is the end of the report: if not, a last line without
    /// <c>\n</c> is left unread for the next call.</param>
    /// <param name="gatewayId">The reporting gateway.</param>
    /// <param name="receivedAtMs">The time used for lines without <c>t</c>, in unix ms.</param>
    /// <param name="batch">Receives the sightings.</param>
    /// <param name="maxAdvertLength">Adverts longer than this are rejected.</param>
    /// <returns>How many bytes were consumed.</returns>
    public static int Read(ReadOnlySpan<byte> utf8, bool isFinalBlock, string gatewayId, long receivedAtMs, BleSightingBatch batch, int maxAdvertLength = BleAdvertParser.DefaultMaxLength)
    {
        ArgumentNullException.ThrowIfNull(gatewayId);
        ArgumentNullException.ThrowIfNull(batch);
        var consumed = 0;
        while (consumed < utf8.Length)
        {
            var rest = utf8[consumed..];
            var newline = rest.IndexOf((byte)'\n');
            if (newline < 0 && !isFinalBlock)
            {
                break;
            }

            var line = newline < 0 ? rest : rest[..newline];
            consumed += newline < 0 ? rest.Length : newline + 1;
            line = line.Trim(" \t\r"u8);
            if (line.IsEmpty)
            {
                continue;
            }

            if (!ReadLine(line, gatewayId, receivedAtMs, batch, maxAdvertLength))
            {
                batch.Rejected++;
            }
        }

        return consumed;
    }

    /// <summary>Reads one line.</summary>
    /// <returns><see langword="false"/> if the line is malformed (nothing is added).</returns>
    public static bool ReadLine(ReadOnlySpan<byte> line, string gatewayId, long receivedAtMs, BleSightingBatch batch, int maxAdvertLength = BleAdvertParser.DefaultMaxLength)
    {
        ArgumentNullException.ThrowIfNull(gatewayId);
        ArgumentNullException.ThrowIfNull(batch);
        var reader = new Utf8JsonReader(line, new JsonReaderOptions { MaxDepth = 4 });
        long timestamp = receivedAtMs;
        ulong mac = 0;
        int rssi = 0;
        bool hasMac = false, hasRssi = false;
        Memory<byte> advert = default;
        var hasAdvert = false;
        try
        {
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                return false;
            }

            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                if (reader.ValueTextEquals("t"u8))
                {
                    if (!reader.Read() || reader.TokenType != JsonTokenType.Number || !reader.TryGetInt64(out timestamp))
                    {
                        return Fail(batch, advert, hasAdvert);
                    }
                }
                else if (reader.ValueTextEquals("mac"u8))
                {
                    if (!reader.Read() || !TryGetRawString(ref reader, out var text) || !HexText.TryParseMac(text, out mac))
                    {
                        return Fail(batch, advert, hasAdvert);
                    }

                    hasMac = true;
                }
                else if (reader.ValueTextEquals("rssi"u8))
                {
                    if (!reader.Read() || reader.TokenType != JsonTokenType.Number || !reader.TryGetInt32(out rssi) || rssi is < -127 or > 20)
                    {
                        return Fail(batch, advert, hasAdvert);
                    }

                    hasRssi = true;
                }
                else if (reader.ValueTextEquals("adv"u8))
                {
                    if (hasAdvert || !reader.Read() || !TryGetRawString(ref reader, out var hex) || !TryDecodeInto(batch, hex, maxAdvertLength, out advert))
                    {
                        return Fail(batch, advert, hasAdvert);
                    }

                    hasAdvert = true;
                }
                else
                {
                    reader.Skip();
                }
            }

            if (reader.TokenType != JsonTokenType.EndObject || reader.Read() || !hasMac || !hasRssi || !hasAdvert)
            {
                return Fail(batch, advert, hasAdvert);
            }
        }
        catch (JsonException)
        {
            return Fail(batch, advert, hasAdvert);
        }

        batch.Add(new BleSighting(gatewayId, mac, (short)rssi, timestamp, advert));
        return true;
    }

    internal static bool TryGetRawString(ref Utf8JsonReader reader, out ReadOnlySpan<byte> value)
    {
        // Hex and MAC text never needs JSON escapes; refusing them keeps the read copy-free.
        if (reader.TokenType != JsonTokenType.String || reader.ValueIsEscaped || reader.HasValueSequence)
        {
            value = default;
            return false;
        }

        value = reader.ValueSpan;
        return true;
    }

    internal static bool TryDecodeInto(BleSightingBatch batch, ReadOnlySpan<byte> hex, int maxAdvertLength, out Memory<byte> advert)
    {
        var length = hex.Length / 2;
        if ((hex.Length & 1) != 0 || length > maxAdvertLength)
        {
            advert = default;
            return false;
        }

        advert = batch.Reserve(length);
        if (!HexText.TryDecode(hex, advert.Span))
        {
            batch.Unreserve(length);
            advert = default;
            return false;
        }

        return true;
    }

    private static bool Fail(BleSightingBatch batch, Memory<byte> advert, bool hasAdvert)
    {
        // The advert was the last reservation: give its bytes back.
        if (hasAdvert)
        {
            batch.Unreserve(advert.Length);
        }

        return false;
    }
}
