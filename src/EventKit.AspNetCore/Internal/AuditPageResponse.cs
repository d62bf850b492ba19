namespace EventKit.AspNetCore.Internal;

internal sealed record AuditPageResponse(IReadOnlyList<AuditEntryResponse> Items, string? NextCursor);
