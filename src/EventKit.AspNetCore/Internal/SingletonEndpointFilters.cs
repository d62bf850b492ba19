using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace EventKit.AspNetCore.Internal;

/// <summary>Adds EventKit's endpoint filters as the application's singletons.</summary>
/// <remarks>
/// ASP.NET Core's <c>AddEndpointFilter&lt;TFilter&gt;()</c> builds a new filter per request with <c>ActivatorUtilities</c>,
/// not the registered service: a filter with state (the load tracker's windows, the admin key filter's options
/// subscription) then lost that state with every request, and each request allocated it again (33 KB per check-in for
/// the load tracker's four 1,024-sample windows).
/// </remarks>
internal static class SingletonEndpointFilters
{
    public static TBuilder AddSingletonFilter<TBuilder, TFilter>(this TBuilder builder)
        where TBuilder : IEndpointConventionBuilder
        where TFilter : class, IEndpointFilter
        => builder.AddEndpointFilterFactory(static (context, next) =>
        {
            var filter = context.ApplicationServices.GetRequiredService<TFilter>();
            return invocation => filter.InvokeAsync(invocation, next);
        });
}
