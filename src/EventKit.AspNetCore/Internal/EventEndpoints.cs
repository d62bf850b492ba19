using EventKit.Internal;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;

namespace EventKit.AspNetCore.Internal;

/// <summary><c>GET/PUT /api/v1/event</c>: the node's event's configuration (admin key), in the one JSON form of <see cref="EventSettingsJson"/>.</summary>
internal static class EventEndpoints
{
    public static async Task<IResult> GetAsync(IServiceProvider services, IEventSettingsProvider current, IOptions<EventKitOptions> eventKit, CancellationToken cancellationToken)
    {
        // The directory (through the cache when there is one) is fresher than this node's copy, which may be a refresh behind.
        var settings = services.GetService(typeof(IEventDirectory)) is IEventDirectory directory
            ? await directory.GetAsync(eventKit.Value.EventId, cancellationToken).ConfigureAwait(false)
            : await current.GetAsync(cancellationToken).ConfigureAwait(false);
        return Json(settings);
    }

    public static async Task<IResult> PutAsync(HttpContext context, IServiceProvider services, IEventSettingsProvider current, IOptions<EventKitOptions> eventKit, IOptions<EventKitApiOptions> options)
    {
        if (services.GetService(typeof(IEventRegistry)) is not IEventRegistry registry)
        {
            return Problems.Create(StatusCodes.Status501NotImplemented, "event_store_missing", "No event store.", "Saving the event's configuration needs a storage package: add .AddPostgresStorage().");
        }

        var (body, problem) = await RequestBody.ReadAsync(context.Request, options.Value.MaxManagementBodyBytes, ManagementJsonContext.Default.EventBody, context.RequestAborted).ConfigureAwait(false);
        if (problem is not null)
        {
            return problem;
        }

        if (body!.Name is not { } name || TextRules.Problem("name", name) is not null)
        {
            return Problems.InvalidField("name", $"name is required: 1 to {EventSettings.MaxNameLength} characters of text.");
        }

        if (!EventSettingsJson.TryReadOpeningHours(body.OpeningHours ?? default, out var hours, out var hoursProblem))
        {
            return Problems.InvalidField("openingHours", hoursProblem);
        }

        var nodeWindow = eventKit.Value.ReEntryWindow;
        if (body.ReEntryWindow is { } window && (window < TimeSpan.Zero || window > nodeWindow))
        {
            return Problems.InvalidField("reEntryWindow", $"reEntryWindow must be between 00:00:00 and this node's EventKit:ReEntryWindow ({nodeWindow:c}), which bounds how long claims stay unverified after an outage.");
        }

        var settings = new EventSettings
        {
            Id = eventKit.Value.EventId,
            Name = name,
            TimeZone = body.TimeZone ?? "UTC",
            StartsAt = body.StartsAt,
            EndsAt = body.EndsAt,
            ReEntryWindow = body.ReEntryWindow,
            OpeningHours = hours,
        };
        if (settings.Validate() is { } invalid)
        {
            return Problems.InvalidField(invalid.Field, invalid.Message);
        }

        var saved = await registry.SaveAsync(settings, context.RequestAborted).ConfigureAwait(false);

        // This node applies it at once; the others on their next refresh (the cache's invalidation reaches every node).
        current.Publish(saved);
        return Json(saved);
    }

    private static IResult Json(EventSettings settings) => TypedResults.Bytes(EventSettingsJson.ToUtf8(settings), "application/json");
}
