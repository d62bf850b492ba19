using System.Buffers;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace EventKit.AspNetCore.Internal;

/// <summary>
/// Writes an audit entry for each management change, right after the change is stored: who (the admin key's name), what,
/// and the old and new status. Values are statuses and names only, never tokens or keys. Without an <see cref="IAuditLog"/>
/// (no storage package) nothing is recorded; a failed write is logged as an error and the change's answer stands.
/// </summary>
internal sealed class AuditTrail(IServiceProvider services, IOptions<EventKitOptions> eventKit, ILogger<AuditTrail> logger)
{
    public async Task RecordAsync(HttpContext context, string action, string entityKind, long? entityId, string? oldValue, string? newValue)
    {
        if (services.GetService(typeof(IAuditLog)) is not IAuditLog log)
        {
            return;
        }

        try
        {
            // Not the request's token: a client that hangs up after the change must not leave it unaudited.
            await log.AppendAsync(new AuditChange(eventKit.Value.EventId, AdminKeyFilter.ActorOf(context), action, entityKind, entityId, oldValue, newValue), CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception e)
        {
            Log.AuditWriteFailed(logger, action, entityKind, entityId, e);
        }
    }

    /// <summary>A JSON object of <paramref name="values"/> (strings, booleans, integers; nulls left out).</summary>
    public static string Values(params ReadOnlySpan<(string Name, object? Value)> values)
    {
        var buffer = new ArrayBufferWriter<byte>(128);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            foreach (var (name, value) in values)
            {
                switch (value)
                {
                    case null:
                        break;
                    case string text:
                        writer.WriteString(name, text);
                        break;
                    case bool flag:
                        writer.WriteBoolean(name, flag);
                        break;
                    case long number:
                        writer.WriteNumber(name, number);
                        break;
                    case int number:
                        writer.WriteNumber(name, number);
                        break;
                    case long[] numbers:
                        writer.WriteStartArray(name);
                        foreach (var n in numbers)
                        {
                            writer.WriteNumberValue(n);
                        }

                        writer.WriteEndArray();
                        break;
                    default:
                        throw new ArgumentException($"Audit values are strings, booleans or integers ({name} is not).", nameof(values));
                }
            }

            writer.WriteEndObject();
        }

        return System.Text.Encoding.UTF8.GetString(buffer.WrittenSpan);
    }
}
