using Microsoft.Extensions.Logging;

namespace EventKit.Scaling.Internal;

/// <summary>Holds the <c>leader</c> lease: tries to acquire or renew it three times per lease duration; leads only while the lease is valid by its own clock.</summary>
internal sealed class LeaderElector(ILeaseProvider leases, ScalingOptions options, string nodeId, TimeProvider time, ILogger logger) : ILeaderElection
{
    public const string LeaseName = "leader";

    private FencedLease? _lease;
    private bool _wasLeader;

    public event EventHandler<bool>? LeadershipChanged;

    public FencedLease? Lease
    {
        get
        {
            var lease = Volatile.Read(ref _lease);
            return lease is not null && time.GetUtcNow() < lease.ValidUntil ? lease : null;
        }
    }

    public bool IsLeader => Lease is not null;

    public TimeSpan RenewInterval => options.LeaseDuration / 3;

    /// <summary>One round: acquire or renew; raise the change when leadership came or went.</summary>
    public async Task RunOnceAsync(CancellationToken cancellationToken)
    {
        var lease = await leases.TryAcquireAsync(LeaseName, options.LeaseDuration, cancellationToken).ConfigureAwait(false);
        if (lease is not null)
        {
            Volatile.Write(ref _lease, lease);
        }

        Observe();
    }

    /// <summary>Checks the lease's expiry by the local clock (between renewals) and raises the change.</summary>
    public void Observe()
    {
        var lease = Lease;
        var leading = lease is not null;
        if (leading == _wasLeader)
        {
            return;
        }

        _wasLeader = leading;
        if (leading)
        {
            Log.BecameLeader(logger, nodeId, lease!.Token);
        }
        else
        {
            Log.LostLeadership(logger, nodeId);
        }

        LeadershipChanged?.Invoke(this, leading);
    }

    public async Task ResignAsync(CancellationToken cancellationToken)
    {
        var lease = Volatile.Read(ref _lease);
        Volatile.Write(ref _lease, null);
        if (lease is not null)
        {
            await leases.ReleaseAsync(lease, cancellationToken).ConfigureAwait(false);
        }

        Observe();
    }
}
