using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;

namespace EventKit.AspNetCore.Internal;

/// <summary><c>GET /api/v1/audit</c> (admin): the node's event's audit log, newest first, keyset-paged (<c>limit</c>, <c>after</c>).</summary>
internal static class AuditEndpoints
{
    public static async Task<IResult> ReadAsync(int? limit, string? after, IServiceProvider services, IOptions<EventKitOptions> eventKit, CancellationToken cancellationToken)
    {
        var pageSize = limit ?? 100;
        if (pageSize is < 1 or > 1000)
        {
            return Problems.InvalidField("limit", "limit must be between 1 and 1000.");
        }

        if (services.GetService(typeof(IAuditLog)) is not IAuditLog log)
        {
            return Problems.NotFound("audit_log_unavailable", "No audit log is configured on this node (add a storage package).");
        }

        Page<AuditEntry> page;
        try
        {
            page = await log.ReadAsync(eventKit.Value.EventId, pageSize, after, cancellationToken).ConfigureAwait(false);
        }
        catch (InvalidCursorException)
        {
            return Problems.InvalidField("after", "after is not a cursor this API issued.");
        }

        var items = new AuditEntryResponse[page.Items.Count];
        for (var i = 0; i < items.Length; i++)
        {
            var (id, at, c) = page.Items[i];
            items[i] = new AuditEntryResponse(id, at, c.Actor, c.Action, c.EntityKind, c.EntityId, Parse(c.OldValue), Parse(c.NewValue));
        }

        return TypedResults.Json(new AuditPageResponse(items, page.NextCursor), AuditJsonContext.Default.AuditPageResponse);
    }

    private static JsonElement? Parse(string? json)
    {
        if (json is null)
        {
            return null;
        }

        using var document = JsonDocument.Parse(json);
        return document.RootElement.Clone();
    }
}
