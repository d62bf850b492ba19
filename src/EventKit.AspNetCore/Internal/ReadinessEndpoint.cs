using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace EventKit.AspNetCore.Internal;

/// <summary><c>/health/ready</c>: a load balancer may call it without the admin key and gets the status only.</summary>
internal static class ReadinessEndpoint
{
    /// <summary>Readiness for load balancers: status only without the admin key (200 or 503), the checks' details with it.</summary>
    public static async Task<IResult> ReadyAsync(HttpContext context, HealthCheckService health, AdminKeyFilter adminKey, CancellationToken cancellationToken)
    {
        if (adminKey.Allows(context.Request))
        {
            return await HealthEndpoints.ReadyAsync(health, cancellationToken).ConfigureAwait(false);
        }

        var report = await health.CheckHealthAsync(cancellationToken).ConfigureAwait(false);
        var status = report.Status switch
        {
            HealthStatus.Healthy => "healthy",
            HealthStatus.Degraded => "degraded",
            _ => "unhealthy",
        };
        return TypedResults.Json(
            new HealthResponse(status, new Dictionary<string, HealthEntryResponse>()),
            ApiJsonContext.Default.HealthResponse,
            statusCode: report.Status == HealthStatus.Unhealthy ? StatusCodes.Status503ServiceUnavailable : StatusCodes.Status200OK);
    }
}
