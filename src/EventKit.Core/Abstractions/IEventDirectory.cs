namespace EventKit;

/// <summary>Reads an event's configuration.</summary>
/// <remarks>Caching decorates this (key <c>event_config:{id}</c>, the gate-config lifetime, invalidated on every node when the
/// configuration changes). The check-in pipeline reads it through an in-process copy, never once per check-in.</remarks>
public interface IEventDirectory
{
    /// <summary>The event's configuration; an event nobody configured yet gets <see cref="EventSettings.Default"/> (and a store may create its row).</summary>
    /// <param name="eventId">The event.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    ValueTask<EventSettings> GetAsync(long eventId, CancellationToken cancellationToken = default);
}
