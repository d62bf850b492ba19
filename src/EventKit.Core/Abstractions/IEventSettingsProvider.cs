namespace EventKit;

/// <summary>
/// The node's event configuration as the check-in pipeline applies it: an in-process copy of <see cref="IEventDirectory"/>,
/// refreshed in the background every <see cref="EventKitOptions.EventRefreshInterval"/>.
/// </summary>
public interface IEventSettingsProvider
{
    /// <summary>The configuration of the node's event (<see cref="EventKitOptions.EventId"/>); reads the directory only the first time.</summary>
    /// <param name="cancellationToken">Cancels the first read.</param>
    ValueTask<EventSettings> GetAsync(CancellationToken cancellationToken = default);

    /// <summary>Applies a configuration this node just saved (<see cref="IEventRegistry.SaveAsync"/>) at once, without waiting for the refresh.</summary>
    /// <param name="settings">The saved configuration; ignored when it is another event's.</param>
    /// <exception cref="InvalidOperationException">The configuration is not valid.</exception>
    void Publish(EventSettings settings);
}
