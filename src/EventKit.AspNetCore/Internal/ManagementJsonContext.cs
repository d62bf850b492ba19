// One file on purpose: the wire shapes of ManagementJsonContext, a few lines each, kept beside the context.
using System.Text.Json;
using System.Text.Json.Serialization;

namespace EventKit.AspNetCore.Internal;

internal sealed record GatePageResponse(IReadOnlyList<GateResponse> Items, string? NextCursor);

/// <summary>A gateway as the listing shows it: no key, no key hash.</summary>
internal sealed record GatewayResponse(long Id, string Name, long GateId);

internal sealed record GatewayPageResponse(IReadOnlyList<GatewayResponse> Items, string? NextCursor);

internal sealed record BleReplayResponse(int Records, int Adverts, int Resolved, int Refused, int Ignored, int Enters, int Exits, int CloneSuspicions, int Admitted, double ShiftSeconds, bool Truncated, bool Written);

/// <summary>The body of <c>PUT /api/v1/event</c>; <c>openingHours</c> is read by <c>EventSettingsJson</c>, the one form.</summary>
internal sealed class EventBody
{
    public string? Name { get; set; }

    public string? TimeZone { get; set; }

    public DateTimeOffset? StartsAt { get; set; }

    public DateTimeOffset? EndsAt { get; set; }

    public TimeSpan? ReEntryWindow { get; set; }

    public JsonElement? OpeningHours { get; set; }
}

// Same options as ApiJsonContext (a second context, so this file adds types without touching that list).
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull, NumberHandling = JsonNumberHandling.Strict)]
[JsonSerializable(typeof(GatePageResponse))]
[JsonSerializable(typeof(GatewayPageResponse))]
[JsonSerializable(typeof(EventBody))]
[JsonSerializable(typeof(BleReplayResponse))]
internal sealed partial class ManagementJsonContext : JsonSerializerContext;
