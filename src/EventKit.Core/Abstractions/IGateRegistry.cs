namespace EventKit;

/// <summary>Creates and changes gates.</summary>
/// <remarks>Caching decorates this to invalidate cached gates on every node.</remarks>
public interface IGateRegistry
{
    /// <summary>Creates a gate and returns it with its new id.</summary>
    Task<Gate> CreateAsync(long eventId, string name, GateKind kind, bool isOpen, CancellationToken cancellationToken = default);

    /// <summary>Opens or closes a gate. Returns <see langword="false"/> if there is no such gate.</summary>
    Task<bool> SetOpenAsync(long gateId, bool isOpen, CancellationToken cancellationToken = default);
}
