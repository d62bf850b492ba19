using EventKit.Scaling;
using Microsoft.AspNetCore.Http;

namespace EventKit.AspNetCore.Internal;

internal static class ScalingEndpoints
{
    public static async Task<IResult> StatusAsync(INodeRegistry registry, ILeaderElection leader, IScalingRecommender recommender, CancellationToken cancellationToken)
    {
        var recommendation = await recommender.GetLatestAsync(cancellationToken).ConfigureAwait(false);
        var response = new ScalingStatusResponse(
            registry.LocalNodeId,
            registry.IsRegistered,
            leader.IsLeader,
            registry.Nodes,
            recommendation);
        return TypedResults.Json(response, ScalingJsonContext.Default.ScalingStatusResponse);
    }

    public static async Task<IResult> KedaAsync(INodeRegistry registry, IScalingRecommender recommender, CancellationToken cancellationToken)
    {
        var recommendation = await recommender.GetLatestAsync(cancellationToken).ConfigureAwait(false);
        if (recommendation is null)
        {
            return Problems.Create(StatusCodes.Status503ServiceUnavailable, "no_recommendation", "No scaling recommendation yet.", "The leader has not evaluated yet; KEDA keeps the current replica count.");
        }

        return TypedResults.Json(
            new KedaMetricsResponse(recommendation.DesiredReplicas, recommendation.CurrentReplicas, registry.Nodes.Count),
            ScalingJsonContext.Default.KedaMetricsResponse);
    }
}
