namespace EventKit;

/// <summary>Saves an event's configuration.</summary>
/// <remarks>Caching decorates this to invalidate the cached configuration on every node.</remarks>
public interface IEventRegistry
{
    /// <summary>Creates or replaces the event's configuration and returns it as stored (with <see cref="EventSettings.UpdatedAt"/>).</summary>
    /// <param name="settings">The configuration; <see cref="EventSettings.Validate"/> must pass.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    /// <exception cref="ArgumentException">The configuration is not valid.</exception>
    Task<EventSettings> SaveAsync(EventSettings settings, CancellationToken cancellationToken = default);
}
