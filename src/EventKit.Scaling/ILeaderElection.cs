namespace EventKit.Scaling;

/// <summary>
/// Leader election over the lease <c>leader</c>: one node at a time holds it and runs the leader-only work
/// (the autoscaling recommender, maintenance). A node that cannot reach Redis stops being leader when its lease
/// expires by its own clock.
/// </summary>
public interface ILeaderElection
{
    /// <summary>The current lease when this node leads and the lease is still valid by its clock; otherwise <see langword="null"/>.</summary>
    FencedLease? Lease { get; }

    /// <summary>Whether this node leads now.</summary>
    bool IsLeader { get; }

    /// <summary>Raised when this node gains or loses leadership. Handlers must not block.</summary>
    event EventHandler<bool>? LeadershipChanged;
}
