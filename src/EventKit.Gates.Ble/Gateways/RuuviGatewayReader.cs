using System.Text.Json;
using EventKit.Gates.Ble.Internal;

namespace EventKit.Gates.Ble;

/// <summary>Reads the Ruuvi Gateway HTTP format:
/// <c>{"data":{"timestamp":"&lt;unix s&gt;","nonce":"&lt;uint&gt;","gw_mac":"…","tags":{"&lt;MAC&gt;":{"rssi":-71,"timestamp":"&lt;unix s&gt;","data":"&lt;hex&gt;"}}}}</c>.</summary>
/// <remarks>A malformed tag (bad MAC, missing <c>rssi</c>, bad hex) is counted in <see cref="BleSightingBatch.Rejected"/>;
/// a document that is not JSON or has no <c>data</c> object with a <c>tags</c> object throws
/// <see cref="BleReportFormatException"/>. Numbers may also be sent as numbers rather than strings.</remarks>
public static class RuuviGatewayReader
{
    /// <summary>Reads one report.</summary>
    /// <param name="utf8Json">The request body.</param>
    /// <param name="gatewayId">The reporting gateway.</param>
    /// <param name="receivedAtMs">The time used for tags without a timestamp, in unix ms.</param>
    /// <param name="batch">Receives the sightings and the nonce.</param>
    /// <param name="maxAdvertLength">Adverts longer than this are rejected.</param>
    /// <exception cref="BleReportFormatException">The envelope is malformed.</exception>
    public static void Read(ReadOnlySpan<byte> utf8Json, string gatewayId, long receivedAtMs, BleSightingBatch batch, int maxAdvertLength = BleAdvertParser.DefaultMaxLength)
    {
        ArgumentNullException.ThrowIfNull(gatewayId);
        ArgumentNullException.ThrowIfNull(batch);
        var reader = new Utf8JsonReader(utf8Json, new JsonReaderOptions { MaxDepth = 16, CommentHandling = JsonCommentHandling.Skip });
        var sawData = false;
        var sawTags = false;
        try
        {
            Expect(reader.Read() && reader.TokenType == JsonTokenType.StartObject, "The report is not a JSON object.");
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                if (!reader.ValueTextEquals("data"u8))
                {
                    reader.Read();
                    reader.Skip();
                    continue;
                }

                Expect(reader.Read() && reader.TokenType == JsonTokenType.StartObject, "The report's 'data' is not an object.");
                sawData = true;
                var batchTimestamp = receivedAtMs;
                while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
                {
                    if (reader.ValueTextEquals("timestamp"u8))
                    {
                        reader.Read();
                        if (TryReadUInt(ref reader, out var seconds))
                        {
                            batchTimestamp = (long)Math.Min(seconds, long.MaxValue / 1000) * 1000;
                        }
                    }
                    else if (reader.ValueTextEquals("nonce"u8))
                    {
                        reader.Read();
                        if (TryReadUInt(ref reader, out var nonce))
                        {
                            batch.Nonce = nonce;
                        }
                    }
                    else if (reader.ValueTextEquals("tags"u8))
                    {
                        Expect(reader.Read() && reader.TokenType == JsonTokenType.StartObject, "The report's 'tags' is not an object.");
                        sawTags = true;
                        ReadTags(ref reader, gatewayId, batchTimestamp, batch, maxAdvertLength);
                    }
                    else
                    {
                        reader.Read();
                        reader.Skip();
                    }
                }
            }

            Expect(reader.TokenType == JsonTokenType.EndObject && !reader.Read(), "The report has content after its JSON object.");
        }
        catch (JsonException ex)
        {
            throw new BleReportFormatException("The report is not valid JSON.", ex);
        }

        Expect(sawData, "The report has no 'data' object.");
        Expect(sawTags, "The report's 'data' has no 'tags' object.");
    }

    private static void ReadTags(ref Utf8JsonReader reader, string gatewayId, long batchTimestamp, BleSightingBatch batch, int maxAdvertLength)
    {
        // Tags are timestamped in seconds by the gateway; a tag without one inherits the batch's.
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            ulong mac = 0;
            var macOk = !reader.ValueIsEscaped && !reader.HasValueSequence && HexText.TryParseMac(reader.ValueSpan, out mac);
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                reader.Skip();
                batch.Rejected++;
                continue;
            }

            long timestamp = batchTimestamp;
            int rssi = 0;
            bool hasRssi = false, valid = macOk;
            Memory<byte> advert = default;
            var hasAdvert = false;
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                if (reader.ValueTextEquals("rssi"u8))
                {
                    reader.Read();
                    hasRssi = reader.TokenType == JsonTokenType.Number && reader.TryGetInt32(out rssi) && rssi is >= -127 and <= 20;
                }
                else if (reader.ValueTextEquals("timestamp"u8))
                {
                    reader.Read();
                    if (TryReadUInt(ref reader, out var seconds))
                    {
                        timestamp = (long)Math.Min(seconds, long.MaxValue / 1000) * 1000;
                    }
                }
                else if (reader.ValueTextEquals("data"u8))
                {
                    reader.Read();
                    if (!hasAdvert && NdjsonSightingReader.TryGetRawString(ref reader, out var hex)
                        && NdjsonSightingReader.TryDecodeInto(batch, hex, maxAdvertLength, out advert))
                    {
                        hasAdvert = true;
                    }
                    else
                    {
                        valid = false;
                    }
                }
                else
                {
                    reader.Read();
                    reader.Skip();
                }
            }

            if (valid && hasRssi && hasAdvert)
            {
                batch.Add(new BleSighting(gatewayId, mac, (short)rssi, timestamp, advert));
            }
            else
            {
                if (hasAdvert)
                {
                    batch.Unreserve(advert.Length);
                }

                batch.Rejected++;
            }
        }
    }

    private static bool TryReadUInt(ref Utf8JsonReader reader, out ulong value)
    {
        if (reader.TokenType == JsonTokenType.Number)
        {
            return reader.TryGetUInt64(out value);
        }

        if (NdjsonSightingReader.TryGetRawString(ref reader, out var text))
        {
            return HexText.TryParseUInt64(text, out value);
        }

        reader.Skip();
        value = 0;
        return false;
    }

    private static void Expect(bool condition, string message)
    {
        if (!condition)
        {
            throw new BleReportFormatException(message);
        }
    }
}
