using EventKit.AspNetCore.Internal;
using EventKit.Scaling;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;

namespace EventKit.AspNetCore;

/// <summary>Maps EventKit.Scaling's HTTP endpoints.</summary>
public static class ScalingEndpointRouteBuilderExtensions
{
    /// <summary>
    /// Maps <c>GET /eventkit/scaling</c> (this node, the live nodes, the leader's recommendation with the reason per
    /// metric) and <c>GET /eventkit/scaling/keda</c> (KEDA <c>metrics-api</c> JSON: <c>desiredReplicas</c>,
    /// <c>currentReplicas</c>). Both require the admin key (<c>X-Admin-Key</c>).
    /// </summary>
    /// <param name="endpoints">The app or a route group.</param>
    /// <returns>The group of the two endpoints.</returns>
    /// <remarks>Call <c>.AddHttpApi(...)</c> and <c>.AddScaling(...)</c> on the EventKit builder first.</remarks>
    public static RouteGroupBuilder MapEventKitScaling(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        if (endpoints.ServiceProvider.GetService(typeof(AdminKeyFilter)) is null || endpoints.ServiceProvider.GetService(typeof(IScalingRecommender)) is null)
        {
            throw new InvalidOperationException("Call services.AddEventKit().AddHttpApi(...).AddScaling(...) before MapEventKitScaling().");
        }

        var group = endpoints.MapGroup("/eventkit/scaling").AddSingletonFilter<RouteGroupBuilder, AdminKeyFilter>();
        group.MapGet("", ScalingEndpoints.StatusAsync);
        group.MapGet("/keda", ScalingEndpoints.KedaAsync);
        return group;
    }
}
