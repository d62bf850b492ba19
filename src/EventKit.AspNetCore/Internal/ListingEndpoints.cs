using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;
using EventKit.Internal;

namespace EventKit.AspNetCore.Internal;

/// <summary><c>GET /api/v1/gates</c> and <c>GET /api/v1/gateways</c>: the node's event's gates and gateways, keyset-paged (admin key).</summary>
internal static class ListingEndpoints
{
    public static async Task<IResult> GatesAsync(int? limit, string? after, IGateCatalog catalog, IOptions<EventKitOptions> eventKit, CancellationToken cancellationToken)
    {
        if (PageSize(limit) is not { } pageSize)
        {
            return LimitProblem();
        }

        try
        {
            var page = await catalog.ListAsync(eventKit.Value.EventId, pageSize, after, cancellationToken).ConfigureAwait(false);
            var items = new GateResponse[page.Items.Count];
            for (var i = 0; i < items.Length; i++)
            {
                var g = page.Items[i];
                items[i] = new GateResponse(g.Id, g.EventId, g.Name, WireNames<GateKind>.Of(g.Kind), g.IsOpen);
            }

            return TypedResults.Json(new GatePageResponse(items, page.NextCursor), ManagementJsonContext.Default.GatePageResponse);
        }
        catch (InvalidCursorException)
        {
            return CursorProblem();
        }
    }

    public static async Task<IResult> GatewaysAsync(int? limit, string? after, IGatewayCatalog catalog, IOptions<EventKitOptions> eventKit, CancellationToken cancellationToken)
    {
        if (PageSize(limit) is not { } pageSize)
        {
            return LimitProblem();
        }

        try
        {
            var page = await catalog.ListAsync(eventKit.Value.EventId, pageSize, after, cancellationToken).ConfigureAwait(false);
            var items = new GatewayResponse[page.Items.Count];
            for (var i = 0; i < items.Length; i++)
            {
                // Never the key or its hash: what a gateway authenticates with stays out of listings.
                items[i] = new GatewayResponse(page.Items[i].Id, page.Items[i].Name, page.Items[i].GateId);
            }

            return TypedResults.Json(new GatewayPageResponse(items, page.NextCursor), ManagementJsonContext.Default.GatewayPageResponse);
        }
        catch (InvalidCursorException)
        {
            return CursorProblem();
        }
    }

    private static int? PageSize(int? limit) => (limit ?? AttendanceQuery.DefaultLimit) is var size and >= 1 and <= AttendanceQuery.MaxLimit ? size : null;

    private static IResult LimitProblem() => Problems.InvalidField("limit", $"limit must be between 1 and {AttendanceQuery.MaxLimit}.");

    private static IResult CursorProblem() => Problems.InvalidField("after", "after is not a cursor this API issued.");
}
