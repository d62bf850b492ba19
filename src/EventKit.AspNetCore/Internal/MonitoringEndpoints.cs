using System.Reflection;
using System.Text.Json;
using EventKit.Monitoring;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace EventKit.AspNetCore.Internal;

/// <summary>
/// <c>/eventkit/metrics</c>, <c>/eventkit/alerts</c> (+ <c>POST /eventkit/alerts/silences</c>), <c>/eventkit/suggestions</c>
/// (+ <c>POST /eventkit/suggestions/run</c>), <c>/eventkit/events</c>
/// (SSE, admin key) and <c>/eventkit/dashboard</c> (the page itself is static and open; it asks for the key and sends it
/// as a header, never in the URL). Mapped when EventKit.Monitoring is registered.
/// </summary>
internal static class MonitoringEndpoints
{
    public const string DashboardResource = "EventKit.AspNetCore.dashboard.html";

    private static readonly TimeSpan[] Windows = [TimeSpan.FromMinutes(1), TimeSpan.FromMinutes(5), TimeSpan.FromMinutes(15)];

    public static void Map(RouteGroupBuilder root)
    {
        var group = root.MapGroup("/eventkit");
        var admin = group.MapGroup("").AddSingletonFilter<RouteGroupBuilder, AdminKeyFilter>();
        admin.MapGet("/metrics", GetMetrics);
        admin.MapGet("/alerts", GetAlerts);
        admin.MapPost("/alerts/silences", PostSilence);
        admin.MapGet("/events", StreamEventsAsync);
        admin.MapGet("/suggestions", GetSuggestions);
        admin.MapPost("/suggestions/run", RunSuggestionsAsync);
        group.MapGet("/dashboard", GetDashboard);
    }

    /// <summary>Maps <c>GET /metrics</c> when <c>AddPrometheusMetrics()</c> was called; creates the meter provider now so nothing recorded from start is missed.</summary>
    public static void MapPrometheus(IEndpointRouteBuilder endpoints)
    {
        if (endpoints.ServiceProvider.GetService<PrometheusMarker>() is null)
        {
            return;
        }

        _ = endpoints.ServiceProvider.GetService<OpenTelemetry.Metrics.MeterProvider>();
        endpoints.MapPrometheusScrapingEndpoint("/metrics");
    }

    public static async Task<IResult> GetMetrics(IMetricsMonitor monitor, IServiceProvider services, HttpContext context)
    {
        var alerts = services.GetService<IAlertManager>();
        var gates = await DashboardGatesBuilder.LoadGatesAsync(services, context.RequestAborted).ConfigureAwait(false);
        var snapshot = monitor.GetSnapshot();
        var response = new MetricsResponse(
            snapshot.At,
            DashboardTilesBuilder.Tiles(monitor, snapshot, alerts, Windows[0]),
            DashboardTilesBuilder.Tiles(monitor, snapshot, alerts, Windows[1]),
            DashboardTilesBuilder.Tiles(monitor, snapshot, alerts, Windows[2]),
            DashboardTilesBuilder.Charts(monitor),
            DashboardGatesBuilder.Gates(monitor, gates, alerts, Windows[0]),
            DashboardGatesBuilder.Nodes(services),
            snapshot.Series);
        return TypedResults.Json(response, MonitoringJsonContext.Default.MetricsResponse);
    }

    public static IResult GetAlerts(IAlertManager alerts) => TypedResults.Json(
        new AlertsResponse(alerts.GetAlerts(), alerts.GetHistory(), alerts.GetSilences(), alerts.GetRecoveryAudit()),
        MonitoringJsonContext.Default.AlertsResponse);

    public static IResult GetSuggestions(ISuggestionAdvisor advisor) => TypedResults.Json(
        new SuggestionsResponse(advisor.LastRun, advisor.GetSuggestions()),
        MonitoringJsonContext.Default.SuggestionsResponse);

    /// <summary>Runs every suggestion source now (the query analyzer included: EXPLAIN ANALYZE on the primary) and answers with the result.</summary>
    public static async Task<IResult> RunSuggestionsAsync(ISuggestionAdvisor advisor, HttpContext context)
    {
        var suggestions = await advisor.RefreshAsync(context.RequestAborted).ConfigureAwait(false);
        return TypedResults.Json(new SuggestionsResponse(advisor.LastRun, suggestions), MonitoringJsonContext.Default.SuggestionsResponse);
    }

    public static async Task<IResult> PostSilence(HttpContext context, IAlertManager alerts)
    {
        SilenceBody? body;
        try
        {
            body = await JsonSerializer.DeserializeAsync(context.Request.Body, MonitoringJsonContext.Default.SilenceBody, context.RequestAborted).ConfigureAwait(false);
        }
        catch (JsonException)
        {
            return Problems.Create(StatusCodes.Status400BadRequest, "invalid_json", "The body is not valid JSON.", "Send {\"matchers\":{\"alertname\":\"...\"},\"duration\":\"01:00:00\"}.");
        }

        if (body?.Matchers is not { Count: > 0 } matchers)
        {
            return Problems.Create(StatusCodes.Status400BadRequest, "invalid_matchers", "A silence needs at least one matcher.", "Set matchers, for example {\"alertname\":\"api_p95_high\"}.");
        }

        var duration = body.Duration ?? TimeSpan.FromHours(1);
        if (duration < TimeSpan.FromMinutes(1) || duration > TimeSpan.FromDays(7))
        {
            return Problems.Create(StatusCodes.Status400BadRequest, "invalid_duration", "The duration is out of range.", "duration must be between 00:01:00 and 7.00:00:00.");
        }

        var silence = alerts.AddSilence(matchers, duration, body.Comment);
        return TypedResults.Json(silence, MonitoringJsonContext.Default.AlertSilence, statusCode: StatusCodes.Status201Created);
    }

    public static async Task StreamEventsAsync(HttpContext context, IMetricsMonitor monitor, IServiceProvider services, TimeProvider time)
    {
        var alerts = services.GetService<IAlertManager>();
        var response = context.Response;
        var token = context.RequestAborted;
        response.ContentType = "text/event-stream";
        response.Headers.CacheControl = "no-cache";
        response.Headers["X-Accel-Buffering"] = "no";
        var feed = LiveFeed.For(monitor);
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(1), time);
        try
        {
            await response.WriteAsync("retry: 2000\n\n", token).ConfigureAwait(false);
            LiveUpdate? sent = null;
            do
            {
                var gates = await DashboardGatesBuilder.LoadGatesAsync(services, token).ConfigureAwait(false);
                var update = feed.Current(monitor, alerts, gates, services, time);
                if (ReferenceEquals(update, sent))
                {
                    // The tick landed in the second already sent (the timer started late in a second, or a
                    // gates query ran long): wait for the next second rather than repeat an update.
                    var now = time.GetUtcNow();
                    await Task.Delay(TimeSpan.FromMilliseconds(1000 - now.Millisecond + 1), time, token).ConfigureAwait(false);
                    update = feed.Current(monitor, alerts, gates, services, time);
                }

                sent = update;
                await response.WriteAsync("event: update\ndata: ", token).ConfigureAwait(false);
                await JsonSerializer.SerializeAsync(response.Body, update, MonitoringJsonContext.Default.LiveUpdate, token).ConfigureAwait(false);
                await response.WriteAsync("\n\n", token).ConfigureAwait(false);
                await response.Body.FlushAsync(token).ConfigureAwait(false);
            }
            while (await timer.WaitForNextTickAsync(token).ConfigureAwait(false));
        }
        catch (OperationCanceledException) when (token.IsCancellationRequested)
        {
        }
    }

    public static IResult GetDashboard(HttpContext context)
    {
        var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream(DashboardResource);
        if (stream is null)
        {
            return TypedResults.NotFound();
        }

        var headers = context.Response.Headers;
        headers.CacheControl = "no-store";
        headers["X-Content-Type-Options"] = "nosniff";
        headers["Referrer-Policy"] = "no-referrer";
        headers.ContentSecurityPolicy = "default-src 'none'; script-src 'self' 'unsafe-inline'; style-src 'unsafe-inline'; connect-src 'self'; img-src 'self' data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";
        return TypedResults.Stream(stream, "text/html; charset=utf-8");
    }
}
