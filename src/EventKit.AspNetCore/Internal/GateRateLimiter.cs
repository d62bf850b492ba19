using System.Threading.RateLimiting;
using Microsoft.Extensions.Options;

namespace EventKit.AspNetCore.Internal;

/// <summary>A token bucket per gate, so one runaway scanner cannot starve the others.</summary>
internal sealed class GateRateLimiter : IDisposable
{
    private readonly PartitionedRateLimiter<long>? _limiter;

    public GateRateLimiter(IOptions<EventKitApiOptions> options)
    {
        var o = options.Value;
        if (o.GateRateLimitPerSecond > 0)
        {
            _limiter = PartitionedRateLimiter.Create<long, long>(gate => RateLimitPartition.GetTokenBucketLimiter(gate, _ => new TokenBucketRateLimiterOptions
            {
                TokenLimit = o.GateRateLimitBurst,
                TokensPerPeriod = o.GateRateLimitPerSecond,
                ReplenishmentPeriod = TimeSpan.FromSeconds(1),
                QueueLimit = 0,
                AutoReplenishment = true,
            }));
        }
    }

    public RateLimitLease Acquire(long gateId) => _limiter?.AttemptAcquire(gateId) ?? UnlimitedLease.Instance;

    public void Dispose() => _limiter?.Dispose();
}
