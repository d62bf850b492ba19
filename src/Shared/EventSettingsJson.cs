using System.Buffers;
using System.Globalization;
using System.Text.Json;

namespace EventKit.Internal;

/// <summary>
/// The one JSON form of <see cref="EventSettings"/> (shared source): the body of <c>GET/PUT /api/v1/event</c>, the
/// <c>events.opening_hours</c> column and the cached <c>event_config</c> entry all use it.
/// <code>{"id":1,"name":"DevConf","timeZone":"Europe/Berlin","startsAt":null,"endsAt":null,"reEntryWindow":"00:01:00",
///  "openingHours":{"entrance":[{"days":["mon","tue"],"open":"09:00","close":"18:00"}]},"updatedAt":"…"}</code>
/// </summary>
internal static class EventSettingsJson
{
    private static readonly string[] DayNames = ["sun", "mon", "tue", "wed", "thu", "fri", "sat"];

    public static byte[] ToUtf8(EventSettings settings)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            Write(writer, settings);
        }

        return buffer.WrittenSpan.ToArray();
    }

    public static void Write(Utf8JsonWriter writer, EventSettings settings)
    {
        writer.WriteStartObject();
        writer.WriteNumber("id", settings.Id);
        writer.WriteString("name", settings.Name);
        writer.WriteString("timeZone", settings.TimeZone);
        WriteInstant(writer, "startsAt", settings.StartsAt);
        WriteInstant(writer, "endsAt", settings.EndsAt);
        if (settings.ReEntryWindow is { } window)
        {
            writer.WriteString("reEntryWindow", window.ToString("c", CultureInfo.InvariantCulture));
        }
        else
        {
            writer.WriteNull("reEntryWindow");
        }

        writer.WritePropertyName("openingHours");
        WriteOpeningHours(writer, settings.OpeningHours);
        WriteInstant(writer, "updatedAt", settings.UpdatedAt);
        writer.WriteEndObject();
    }

    public static string? OpeningHoursToJson(IReadOnlyDictionary<GateKind, IReadOnlyList<OpeningHours>>? hours)
    {
        if (hours is null)
        {
            return null;
        }

        var buffer = new ArrayBufferWriter<byte>(128);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            WriteOpeningHours(writer, hours);
        }

        return System.Text.Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    public static void WriteOpeningHours(Utf8JsonWriter writer, IReadOnlyDictionary<GateKind, IReadOnlyList<OpeningHours>>? hours)
    {
        if (hours is null)
        {
            writer.WriteNullValue();
            return;
        }

        writer.WriteStartObject();
        foreach (var kind in Enum.GetValues<GateKind>())
        {
            if (!hours.TryGetValue(kind, out var intervals))
            {
                continue;
            }

            writer.WriteStartArray(WireNames<GateKind>.Of(kind));
            foreach (var interval in intervals)
            {
                writer.WriteStartObject();
                if (interval.Days is { } days)
                {
                    writer.WriteStartArray("days");
                    foreach (var day in days)
                    {
                        writer.WriteStringValue(DayNames[(int)day]);
                    }

                    writer.WriteEndArray();
                }

                writer.WriteString("open", interval.Open.ToString(interval.Open.Second == 0 ? "HH:mm" : "HH:mm:ss", CultureInfo.InvariantCulture));
                writer.WriteString("close", interval.Close.ToString(interval.Close.Second == 0 ? "HH:mm" : "HH:mm:ss", CultureInfo.InvariantCulture));
                writer.WriteEndObject();
            }

            writer.WriteEndArray();
        }

        writer.WriteEndObject();
    }

    /// <summary>Reads what <see cref="Write"/> wrote (the cache's copy); throws on anything else.</summary>
    public static EventSettings Read(ReadOnlySpan<byte> utf8)
    {
        using var document = JsonDocument.Parse(utf8.ToArray());
        var root = document.RootElement;
        if (!TryReadOpeningHours(root.GetProperty("openingHours"), out var hours, out var problem))
        {
            throw new JsonException(problem);
        }

        return new EventSettings
        {
            Id = root.GetProperty("id").GetInt64(),
            Name = root.GetProperty("name").GetString()!,
            TimeZone = root.GetProperty("timeZone").GetString()!,
            StartsAt = ReadInstant(root.GetProperty("startsAt")),
            EndsAt = ReadInstant(root.GetProperty("endsAt")),
            ReEntryWindow = root.GetProperty("reEntryWindow").ValueKind == JsonValueKind.Null ? null : TimeSpan.ParseExact(root.GetProperty("reEntryWindow").GetString()!, "c", CultureInfo.InvariantCulture),
            OpeningHours = hours,
            UpdatedAt = ReadInstant(root.GetProperty("updatedAt")),
        };
    }

    /// <summary>Reads an <c>openingHours</c> value: <see langword="null"/>, or an object of gate kinds to interval arrays.</summary>
    /// <returns><see langword="false"/> with a message for people when the value is not in that form.</returns>
    public static bool TryReadOpeningHours(JsonElement element, out IReadOnlyDictionary<GateKind, IReadOnlyList<OpeningHours>>? hours, out string problem)
    {
        hours = null;
        problem = "";
        if (element.ValueKind is JsonValueKind.Null or JsonValueKind.Undefined)
        {
            return true;
        }

        if (element.ValueKind != JsonValueKind.Object)
        {
            problem = "openingHours must be an object of gate kinds (" + WireNames<GateKind>.List() + ") to lists of {\"days\"?, \"open\", \"close\"}.";
            return false;
        }

        var result = new Dictionary<GateKind, IReadOnlyList<OpeningHours>>();
        foreach (var property in element.EnumerateObject())
        {
            if (!WireNames<GateKind>.TryParse(property.Name, out var kind) || result.ContainsKey(kind))
            {
                problem = $"openingHours has an unknown or repeated gate kind '{Shorten(property.Name)}' (use {WireNames<GateKind>.List()}).";
                return false;
            }

            if (property.Value.ValueKind != JsonValueKind.Array || property.Value.GetArrayLength() > EventSettings.MaxIntervalsPerKind)
            {
                problem = $"openingHours.{property.Name} must be a list of at most {EventSettings.MaxIntervalsPerKind} intervals.";
                return false;
            }

            var intervals = new List<OpeningHours>();
            foreach (var item in property.Value.EnumerateArray())
            {
                if (!TryReadInterval(item, out var interval))
                {
                    problem = $"openingHours.{property.Name} has an interval that is not {{\"days\"?: [\"mon\",…], \"open\": \"HH:mm\", \"close\": \"HH:mm\"}}.";
                    return false;
                }

                intervals.Add(interval);
            }

            result[kind] = intervals;
        }

        hours = result;
        return true;
    }

    private static bool TryReadInterval(JsonElement item, out OpeningHours interval)
    {
        interval = null!;
        if (item.ValueKind != JsonValueKind.Object
            || !item.TryGetProperty("open", out var open) || !TryReadTime(open, out var opens)
            || !item.TryGetProperty("close", out var close) || !TryReadTime(close, out var closes))
        {
            return false;
        }

        List<DayOfWeek>? days = null;
        if (item.TryGetProperty("days", out var dayList) && dayList.ValueKind != JsonValueKind.Null)
        {
            if (dayList.ValueKind != JsonValueKind.Array || dayList.GetArrayLength() is 0 or > 7)
            {
                return false;
            }

            days = [];
            foreach (var day in dayList.EnumerateArray())
            {
                var index = day.ValueKind == JsonValueKind.String ? Array.IndexOf(DayNames, day.GetString()) : -1;
                if (index < 0)
                {
                    return false;
                }

                if (!days.Contains((DayOfWeek)index))
                {
                    days.Add((DayOfWeek)index);
                }
            }
        }

        foreach (var property in item.EnumerateObject())
        {
            if (property.Name is not ("open" or "close" or "days"))
            {
                return false;
            }
        }

        interval = new OpeningHours(opens, closes, days);
        return true;
    }

    private static bool TryReadTime(JsonElement element, out TimeOnly time)
    {
        time = default;
        return element.ValueKind == JsonValueKind.String
            && TimeOnly.TryParseExact(element.GetString(), ["HH:mm", "HH:mm:ss"], CultureInfo.InvariantCulture, DateTimeStyles.None, out time);
    }

    private static void WriteInstant(Utf8JsonWriter writer, string name, DateTimeOffset? value)
    {
        if (value is { } at)
        {
            writer.WriteString(name, at.ToUniversalTime());
        }
        else
        {
            writer.WriteNull(name);
        }
    }

    private static DateTimeOffset? ReadInstant(JsonElement element)
        => element.ValueKind == JsonValueKind.Null ? null : element.GetDateTimeOffset();

    private static string Shorten(string text) => text.Length <= 20 ? text : text[..20] + "…";
}
