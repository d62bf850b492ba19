namespace EventKit.Scaling;

/// <summary>Where a gate's check-ins are decided (<see cref="GateLeaseStatus"/>).</summary>
public enum GateLeaseState
{
    /// <summary>This node holds the gate's lease: it decides here.</summary>
    Held = 0,

    /// <summary>Rendezvous hashing picks another node: check-ins go to it.</summary>
    OwnedElsewhere = 1,

    /// <summary>
    /// This node owns the gate but holds no valid lease (another node's lease has not expired or been released yet, or
    /// Redis did not answer), or no owner is known: nobody may decide here now (503 with Retry-After).
    /// </summary>
    Pending = 2,
}
