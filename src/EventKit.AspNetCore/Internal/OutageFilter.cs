using System.Data.Common;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace EventKit.AspNetCore.Internal;

/// <summary>Maps storage outages (transient database errors, timeouts) that escape a handler to 503 + Retry-After.</summary>
internal sealed class OutageFilter(ILogger<OutageFilter> logger) : IEndpointFilter
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
            return Problems.Unavailable(e.RetryAfter, context.HttpContext);
        }
        catch (Exception e) when (e is DbException { IsTransient: true } or TimeoutException || e.InnerException is DbException { IsTransient: true } or TimeoutException)
        {
            Log.Outage(logger, context.HttpContext.Request.Path, e);
            return Problems.Unavailable(TimeSpan.FromSeconds(2), context.HttpContext);
        }
    }
}
