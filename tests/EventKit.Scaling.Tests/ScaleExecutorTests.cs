using EventKit.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace EventKit.Scaling.Tests;

/// <summary>The autoscaler acts through EventKit.Core's one <see cref="IScaleExecutor"/> (the hook Monitoring's scale_out uses too).</summary>
public sealed class ScaleExecutorTests(RedisFixture redis) : IClassFixture<RedisFixture>
{
    [Fact]
    public async Task The_leader_asks_the_executor_for_an_absolute_count_with_its_fencing_token()
    {
        var executor = new RecordingExecutor();
        using var node = ScalingNodes.Host(redis, "exec-a", scope: "executor", services: s => s.AddSingleton<IScaleExecutor>(executor));
        await node.StartAsync();
        try
        {
            // One live node is below the minimum of 2: the leader asks for 2.
            await Eventually.TrueAsync(() => executor.Requests.Count > 0, "the executor was called", TimeSpan.FromSeconds(30));
            var request = executor.Requests.First();
            Assert.Equal(2, request.DesiredReplicas);
            Assert.Equal(1, request.CurrentReplicas);
            Assert.False(request.IsScaleOutStep);
            var lease = node.Services.GetRequiredService<ILeaderElection>().Lease;
            Assert.NotNull(lease);
            Assert.Equal(lease.Token, request.FencingToken);
            Assert.True(await node.Services.GetRequiredService<IFencingGuard>().TryAcceptAsync("executor-target", request.FencingToken!.Value));
        }
        finally
        {
            await node.StopAsync();
        }
    }

    private sealed class RecordingExecutor : IScaleExecutor
    {
        public System.Collections.Concurrent.ConcurrentQueue<ScaleRequest> Requests { get; } = new();

        public ValueTask<string> ScaleAsync(ScaleRequest request, CancellationToken cancellationToken)
        {
            Requests.Enqueue(request);
            return ValueTask.FromResult("recorded");
        }
    }
}
