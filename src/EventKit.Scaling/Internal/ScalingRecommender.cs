using System.Text.Json;
using EventKit.Redis;
using Microsoft.Extensions.Logging;
using StackExchange.Redis;

namespace EventKit.Scaling.Internal;

/// <summary>
/// Feeds the registry's nodes into <see cref="HpaRecommender"/> on the leader, publishes the result in Redis for the
/// other nodes, and calls the <see cref="IScaleExecutor"/> (if any) with the leader's fencing token.
/// </summary>
internal sealed class ScalingRecommender(
    INodeRegistry registry,
    LeaderElector leader,
    IRedisConnection redis,
    ScalingOptions options,
    IScaleExecutor? executor,
    TimeProvider time,
    ILogger logger) : IScalingRecommender
{
    private readonly HpaRecommender _hpa = new(options);
    private readonly Lock _lock = new();
    private ScalingRecommendation? _latest;

    private string Key => options.KeyPrefix + "recommendation";

    public async Task<ScalingRecommendation?> GetLatestAsync(CancellationToken cancellationToken = default)
    {
        if (leader.IsLeader && Volatile.Read(ref _latest) is { } own)
        {
            return own;
        }

        if (!redis.TryGetDatabase(out var database))
        {
            return Volatile.Read(ref _latest);
        }

        try
        {
            var value = await database.StringGetAsync(Key).WaitAsync(cancellationToken).ConfigureAwait(false);
            return value.HasValue ? JsonSerializer.Deserialize((string)value!, ScalingJson.Default.ScalingRecommendation) : Volatile.Read(ref _latest);
        }
        catch (Exception e) when (e is RedisException or TimeoutException or JsonException)
        {
            return Volatile.Read(ref _latest);
        }
    }

    public Task<ScalingRecommendation> EvaluateAsync(CancellationToken cancellationToken = default)
    {
        var inputs = Inputs(registry.Nodes);
        ScalingRecommendation recommendation;
        lock (_lock)
        {
            recommendation = _hpa.Evaluate(inputs, time.GetUtcNow());
        }

        Volatile.Write(ref _latest, recommendation);
        return Task.FromResult(recommendation);
    }

    /// <summary>The leader's round: evaluate, publish, execute when a change is due.</summary>
    public async Task RunOnceAsync(CancellationToken cancellationToken)
    {
        // Not before this node has listed the cluster (its first heartbeat): zero nodes is not a measurement.
        if (leader.Lease is null || !registry.IsRegistered || registry.Nodes.Count == 0)
        {
            return;
        }

        var recommendation = await EvaluateAsync(cancellationToken).ConfigureAwait(false);
        if (recommendation.DesiredReplicas != recommendation.CurrentReplicas)
        {
            Log.Recommendation(logger, recommendation.DesiredReplicas, recommendation.CurrentReplicas, recommendation.Reason);
        }

        if (redis.TryGetDatabase(out var database))
        {
            try
            {
                var json = JsonSerializer.Serialize(recommendation, ScalingJson.Default.ScalingRecommendation);
                await database.StringSetAsync(Key, json, options.EvaluationInterval * 3).WaitAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (e is RedisException or TimeoutException)
            {
                Log.LeaseUnavailable(logger, "recommendation", e.GetType().Name);
            }
        }

        // Leadership is checked again right before acting: the lease may have run out while evaluating.
        if (executor is not null && recommendation.DesiredReplicas != recommendation.CurrentReplicas && leader.Lease is { } lease)
        {
            try
            {
                await executor.ScaleAsync(
                    new ScaleRequest(recommendation.Reason)
                    {
                        DesiredReplicas = recommendation.DesiredReplicas,
                        CurrentReplicas = recommendation.CurrentReplicas,
                        FencingToken = lease.Token,
                    },
                    cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                Log.ExecutorFailed(logger, e);
            }
        }
    }

    internal static ScalingInputs Inputs(IReadOnlyList<NodeInfo> nodes)
    {
        var active = nodes.Where(static n => !n.Draining).ToList();
        if (active.Count == 0)
        {
            return new ScalingInputs(0, 0, 0, 0, 0);
        }

        double cpu = 0, p95 = 0, inFlight = 0, backlog = 0;
        foreach (var node in active)
        {
            cpu += node.CpuUtilization;
            backlog += node.WriterBacklog;
            foreach (var (type, load) in node.Load)
            {
                inFlight += load.InFlight;
                if (type is RequestTypes.CheckIn or RequestTypes.Read)
                {
                    p95 = Math.Max(p95, load.P95Milliseconds);
                }
            }
        }

        return new ScalingInputs(active.Count, cpu / active.Count, p95, inFlight / active.Count, backlog / active.Count);
    }
}
