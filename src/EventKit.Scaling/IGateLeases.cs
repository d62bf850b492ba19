namespace EventKit.Scaling;

/// <summary>
/// The per-gate leases of the gate-owned fast path (<c>.AddGateOwnedCheckInClaims()</c>): a node decides a gate's
/// check-ins in memory only while it holds the gate's Redis lease (with a fencing token) and rendezvous hashing says it
/// owns the gate. Check-ins for a gate this node does not hold are passed to the owner or refused with 503.
/// </summary>
public interface IGateLeases
{
    /// <summary>
    /// Where check-ins for <paramref name="gateId"/> are decided now. Acquires the gate's lease (one Redis round trip)
    /// when this node owns the gate and holds no valid lease on it; otherwise answers from memory.
    /// </summary>
    /// <param name="gateId">The gate.</param>
    /// <param name="cancellationToken">Stops waiting for Redis.</param>
    /// <returns>The gate's state on this node.</returns>
    ValueTask<GateLeaseStatus> EnsureAsync(long gateId, CancellationToken cancellationToken = default);

    /// <summary>Whether this node holds a valid lease on <paramref name="gateId"/> now (by its own monotonic clock, minus the safety margin).</summary>
    /// <param name="gateId">The gate.</param>
    /// <returns><see langword="true"/> while this node may decide the gate.</returns>
    bool IsHeld(long gateId);
}
