namespace EventKit.Scaling;

/// <summary>
/// Which node owns a gate: rendezvous (highest-random-weight) hashing of the gate over the live, non-draining nodes,
/// so a change of membership moves about 1/N of the gates. A node that is not registered (lost Redis) owns nothing.
/// </summary>
public interface IGateOwnership
{
    /// <summary>The owner of <paramref name="gateId"/> among the live nodes, or <see langword="null"/> when none is known.</summary>
    /// <param name="gateId">The gate.</param>
    /// <returns>The owning node's id.</returns>
    string? OwnerOf(long gateId);

    /// <summary>Whether this node owns <paramref name="gateId"/> now.</summary>
    /// <param name="gateId">The gate.</param>
    /// <returns><see langword="true"/> when this node is registered and the hash picks it.</returns>
    bool IsOwnedLocally(long gateId);
}
