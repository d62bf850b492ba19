using EventKit.Monitoring;

namespace EventKit.Caching.Internal;

/// <summary>
/// The <c>reset_redis_circuit</c> recovery action (rule <c>redis_circuit_open</c>): probes Redis with <c>PING</c> and,
/// when it answers, closes the cache's L2 circuit now instead of after the break. When Redis does not answer the circuit
/// stays as it is (a failed probe does not lengthen the break).
/// </summary>
internal sealed class ResetRedisCircuitAction(DefaultHybridCache cache) : IRecoveryAction
{
    public string Name => RecoveryActionNames.ResetRedisCircuit;

    public async ValueTask<RecoveryResult> ExecuteAsync(RecoveryContext context, CancellationToken cancellationToken)
    {
        if (cache.ProbeL2Async() is not { } probing)
        {
            return new RecoveryResult(false, "The cache has no Redis tier (L1 only).");
        }

        var probe = await probing.ConfigureAwait(false);
        if (!probe.Answered)
        {
            return new RecoveryResult(false, $"Redis did not answer PING ({probe.Error}); the circuit is left as it was.");
        }

        return new RecoveryResult(true, probe.WasTripped ? "Redis answered PING; the L2 circuit is closed." : "Redis answered PING; the L2 circuit was already closed.");
    }
}
