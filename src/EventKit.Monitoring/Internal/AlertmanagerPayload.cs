using System.Buffers;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace EventKit.Monitoring.Internal;

/// <summary>Writes a notification as Alertmanager's webhook body (version 4), so receivers written for Alertmanager accept it.</summary>
internal static class AlertmanagerPayload
{
    public const string Receiver = "eventkit";

    public static byte[] Write(AlertNotification notification)
    {
        var status = notification.Firing ? "firing" : "resolved";
        var buffer = new ArrayBufferWriter<byte>(1024);
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString("version", "4");
            json.WriteString("groupKey", $"{{}}:{{alertname=\"{notification.Name}\"}}");
            json.WriteNumber("truncatedAlerts", 0);
            json.WriteString("status", status);
            json.WriteString("receiver", Receiver);
            json.WriteStartObject("groupLabels");
            json.WriteString("alertname", notification.Name);
            json.WriteEndObject();
            WriteMap(json, "commonLabels", notification.Labels);
            json.WriteStartObject("commonAnnotations");
            WriteAnnotations(json, notification);
            json.WriteEndObject();
            json.WriteString("externalURL", "");
            json.WriteStartArray("alerts");
            json.WriteStartObject();
            json.WriteString("status", status);
            WriteMap(json, "labels", notification.Labels);
            json.WriteStartObject("annotations");
            WriteAnnotations(json, notification);
            json.WriteEndObject();
            json.WriteString("startsAt", notification.StartsAt);
            json.WriteString("endsAt", notification.EndsAt ?? DateTimeOffset.MinValue);
            json.WriteString("generatorURL", "");
            json.WriteString("fingerprint", Fingerprint(notification.Labels));
            json.WriteEndObject();
            json.WriteEndArray();
            json.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>Alertmanager's fingerprint is a hash of the sorted label set; 16 hex digits like its own.</summary>
    public static string Fingerprint(IReadOnlyDictionary<string, string> labels)
    {
        var text = new StringBuilder();
        foreach (var (name, value) in labels.OrderBy(static l => l.Key, StringComparer.Ordinal))
        {
            text.Append(name).Append('\xff').Append(value).Append('\xff');
        }

        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString())).AsSpan(0, 8));
    }

    private static void WriteAnnotations(Utf8JsonWriter json, AlertNotification notification)
    {
        json.WriteString("summary", notification.Summary);
        json.WriteString("value", notification.Value?.ToString("G6", CultureInfo.InvariantCulture) ?? "");
        json.WriteString("threshold", notification.Threshold.ToString("G6", CultureInfo.InvariantCulture));
    }

    private static void WriteMap(Utf8JsonWriter json, string name, IReadOnlyDictionary<string, string> map)
    {
        json.WriteStartObject(name);
        foreach (var (key, value) in map.OrderBy(static l => l.Key, StringComparer.Ordinal))
        {
            json.WriteString(key, value);
        }

        json.WriteEndObject();
    }
}
