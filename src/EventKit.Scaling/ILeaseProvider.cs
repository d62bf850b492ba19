namespace EventKit.Scaling;

/// <summary>Leases over Redis (<c>SET NX PX</c>, renewed by their holder) with fencing tokens from <c>INCR</c>.</summary>
public interface ILeaseProvider
{
    /// <summary>Acquires <paramref name="name"/> for this node, or renews it when this node already holds it (same token).</summary>
    /// <param name="name">The lease's name.</param>
    /// <param name="duration">How long it lasts without renewal.</param>
    /// <param name="cancellationToken">Cancels the wait.</param>
    /// <returns>The lease, or <see langword="null"/> when another node holds it or Redis did not answer.</returns>
    Task<FencedLease?> TryAcquireAsync(string name, TimeSpan duration, CancellationToken cancellationToken = default);

    /// <summary>Releases a lease this node holds (no effect when it expired or another node holds it now).</summary>
    /// <param name="lease">The lease.</param>
    /// <param name="cancellationToken">Cancels the wait.</param>
    /// <returns>Whether it was released.</returns>
    Task<bool> ReleaseAsync(FencedLease lease, CancellationToken cancellationToken = default);
}
