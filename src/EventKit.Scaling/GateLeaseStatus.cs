namespace EventKit.Scaling;

/// <summary>A gate's state on this node (<see cref="IGateLeases.EnsureAsync"/>).</summary>
/// <param name="State">Held here, owned by another node, or in flux.</param>
/// <param name="OwnerNodeId">With <see cref="GateLeaseState.OwnedElsewhere"/>: the node rendezvous hashing picks.</param>
public readonly record struct GateLeaseStatus(GateLeaseState State, string? OwnerNodeId = null);
