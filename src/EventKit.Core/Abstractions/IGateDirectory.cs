namespace EventKit;

/// <summary>Reads gates.</summary>
public interface IGateDirectory
{
    /// <summary>Gets a gate by id, or <see langword="null"/>.</summary>
    ValueTask<Gate?> GetAsync(long gateId, CancellationToken cancellationToken = default);

    /// <summary>All gates of an event.</summary>
    Task<IReadOnlyList<Gate>> GetAllAsync(long eventId, CancellationToken cancellationToken = default);
}
