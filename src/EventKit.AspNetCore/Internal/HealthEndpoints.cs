using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace EventKit.AspNetCore.Internal;

internal static class HealthEndpoints
{
    public static IResult Live() => TypedResults.Json(new HealthResponse("healthy", new Dictionary<string, HealthEntryResponse>()), ApiJsonContext.Default.HealthResponse);

    public static async Task<IResult> ReadyAsync(HealthCheckService health, CancellationToken cancellationToken)
    {
        var report = await health.CheckHealthAsync(cancellationToken).ConfigureAwait(false);
        var checks = new Dictionary<string, HealthEntryResponse>(report.Entries.Count);
        foreach (var (name, entry) in report.Entries)
        {
            checks[name] = new HealthEntryResponse(Status(entry.Status), entry.Description, entry.Duration.TotalMilliseconds);
        }

        return TypedResults.Json(
            new HealthResponse(Status(report.Status), checks),
            ApiJsonContext.Default.HealthResponse,
            statusCode: report.Status == HealthStatus.Unhealthy ? StatusCodes.Status503ServiceUnavailable : StatusCodes.Status200OK);
    }

    private static string Status(HealthStatus status) => status switch
    {
        HealthStatus.Healthy => "healthy",
        HealthStatus.Degraded => "degraded",
        _ => "unhealthy",
    };
}
