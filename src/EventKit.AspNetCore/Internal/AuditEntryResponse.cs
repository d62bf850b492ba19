using System.Text.Json;

namespace EventKit.AspNetCore.Internal;

internal sealed record AuditEntryResponse(long Id, DateTimeOffset OccurredAt, string Actor, string Action, string EntityKind, long? EntityId, JsonElement? Old, JsonElement? New);
