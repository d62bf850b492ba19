namespace EventKit.Scaling;

/// <summary>
/// Acts on a recommendation (starts or stops nodes, patches a Deployment). Called on the leader only, when the
/// desired count differs from the current one. Register one in DI; without one the recommendation is only published
/// (<c>GET /eventkit/scaling</c>, the KEDA endpoint).
/// </summary>
public interface IScaleExecutor
{
    /// <summary>Scales to <see cref="ScalingRecommendation.DesiredReplicas"/>.</summary>
    /// <param name="recommendation">The recommendation.</param>
    /// <param name="fencingToken">The leader's fencing token; a target that keeps the highest token it has seen (see <see cref="IFencingGuard"/>) must refuse a lower one.</param>
    /// <param name="cancellationToken">Cancelled when the host stops.</param>
    /// <returns>A task that completes when the request has been made.</returns>
    Task ScaleAsync(ScalingRecommendation recommendation, long fencingToken, CancellationToken cancellationToken);
}
