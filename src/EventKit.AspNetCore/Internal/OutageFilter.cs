using System.Data.Common;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Logging;

namespace EventKit.AspNetCore.Internal;

/// <summary>Maps storage outages (transient database errors, timeouts) that escape a handler to 503 + Retry-After.</summary>
internal sealed class OutageFilter(ILogger<OutageFilter> logger, CheckInAdmission checkIns) : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        try
        {
            return await next(context).ConfigureAwait(false);
        }
        catch (EventKitUnavailableException e)
        {
            Log.Outage(logger, context.HttpContext.Request.Path, e);
            CountCheckIn(context.HttpContext);
            return Problems.Unavailable(e.RetryAfter, context.HttpContext);
        }
        catch (Exception e) when (e is DbException { IsTransient: true } or TimeoutException || e.InnerException is DbException { IsTransient: true } or TimeoutException)
        {
            // Pool exhaustion lands here too: Npgsql's "connection pool has been exhausted" is transient (a TimeoutException
            // inside), and its wait is bounded by the pool's Timeout (EventKit:Storage:ConnectTimeout), so it is a 503, never a 500.
            Log.Outage(logger, context.HttpContext.Request.Path, e);
            CountCheckIn(context.HttpContext);
            return Problems.Unavailable(TimeSpan.FromSeconds(2), context.HttpContext);
        }
    }

    private void CountCheckIn(HttpContext context)
    {
        if (context.GetEndpoint()?.Metadata.GetMetadata<IEndpointNameMetadata>()?.EndpointName is CheckInEndpoints.EndpointName or GateCheckInEndpoints.EndpointName)
        {
            checkIns.RecordStorageUnavailable();
        }
    }
}
