namespace EventKit.Scaling;

/// <summary>The autoscaling recommender: evaluated by the leader every <see cref="ScalingOptions.EvaluationInterval"/> and published in Redis for every node.</summary>
public interface IScalingRecommender
{
    /// <summary>The latest recommendation: this node's own when it leads, otherwise the leader's from Redis.</summary>
    /// <param name="cancellationToken">Cancels the wait.</param>
    /// <returns>The recommendation, or <see langword="null"/> when none has been made yet.</returns>
    Task<ScalingRecommendation?> GetLatestAsync(CancellationToken cancellationToken = default);

    /// <summary>Evaluates now from the registry's nodes (the leader's loop calls it; tests may too).</summary>
    /// <param name="cancellationToken">Cancels the wait.</param>
    /// <returns>The recommendation.</returns>
    Task<ScalingRecommendation> EvaluateAsync(CancellationToken cancellationToken = default);
}
