using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace EventKit.Scaling.Internal;

/// <summary>The node's loops: heartbeat every interval; leader lease three times per lease duration; the recommender on the leader.</summary>
internal sealed class ScalingService(RedisNodeRegistry registry, LeaderElector leader, ScalingRecommender recommender, IOptions<ScalingOptions> options, TimeProvider time, ILogger<ScalingService> logger) : BackgroundService
{
    protected override Task ExecuteAsync(CancellationToken stoppingToken) => options.Value.ObserveOnly
        ? LoopAsync("watch", options.Value.HeartbeatInterval, registry.HeartbeatAsync, stoppingToken)
        : Task.WhenAll(
            LoopAsync("heartbeat", options.Value.HeartbeatInterval, registry.HeartbeatAsync, stoppingToken),
            LoopAsync("leader", leader.RenewInterval, leader.RunOnceAsync, stoppingToken),
            LoopAsync("recommender", options.Value.EvaluationInterval, recommender.RunOnceAsync, stoppingToken));

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken).ConfigureAwait(false);
        if (!options.Value.ObserveOnly)
        {
            await leader.ResignAsync(cancellationToken).ConfigureAwait(false);
        }

        await registry.DeregisterAsync(cancellationToken).ConfigureAwait(false);
    }

    private async Task LoopAsync(string name, TimeSpan interval, Func<CancellationToken, Task> body, CancellationToken stoppingToken)
    {
        await Task.Yield();
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await body(stoppingToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                Log.LoopFailed(logger, name, e);
            }

            try
            {
                await Task.Delay(interval, time, stoppingToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }

            leader.Observe();
        }
    }
}
