using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace EventKit.Internal;

/// <summary>
/// The node's event configuration for the check-in path: a compiled copy held in memory, read without I/O. It is
/// refreshed from <see cref="IEventDirectory"/> (the cached one when caching is added) in the background once it is older
/// than <see cref="EventKitOptions.EventRefreshInterval"/>, and replaced at once by a save made on this node. Without a
/// directory (no storage package) the event is always open.
/// </summary>
internal sealed class EventSettingsSource(IServiceProvider services, IOptionsMonitor<EventKitOptions> options, TimeProvider time, ILogger<EventSettingsSource> logger) : IEventSettingsProvider
{
    async ValueTask<EventSettings> IEventSettingsProvider.GetAsync(CancellationToken cancellationToken)
        => (await GetAsync(cancellationToken).ConfigureAwait(false)).Settings;

    private Snapshot? _snapshot;
    private int _refreshing;
    private IEventDirectory? _directory;
    private bool _directoryResolved;

    /// <summary>The current schedule; loads it on first use, later refreshes never hold a caller up.</summary>
    public ValueTask<EventSchedule> GetAsync(CancellationToken cancellationToken)
    {
        var snapshot = Volatile.Read(ref _snapshot);
        if (snapshot is null)
        {
            return new(LoadAsync(cancellationToken));
        }

        if (time.GetElapsedTime(snapshot.FetchedAt) >= options.CurrentValue.EventRefreshInterval && Interlocked.CompareExchange(ref _refreshing, 1, 0) == 0)
        {
            _ = RefreshInBackgroundAsync();
        }

        return new(snapshot.Schedule);
    }

    /// <summary>Uses <paramref name="settings"/> from now on (after a save on this node).</summary>
    public void Publish(EventSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        if (settings.Id == options.CurrentValue.EventId)
        {
            Volatile.Write(ref _snapshot, new Snapshot(EventSchedule.Create(settings), time.GetTimestamp()));
        }
    }

    private async Task<EventSchedule> LoadAsync(CancellationToken cancellationToken)
    {
        var schedule = await FetchAsync(cancellationToken).ConfigureAwait(false);
        Interlocked.CompareExchange(ref _snapshot, new Snapshot(schedule, time.GetTimestamp()), null);
        return Volatile.Read(ref _snapshot)!.Schedule;
    }

    private async Task RefreshInBackgroundAsync()
    {
        try
        {
            var schedule = await FetchAsync(CancellationToken.None).ConfigureAwait(false);
            Volatile.Write(ref _snapshot, new Snapshot(schedule, time.GetTimestamp()));
        }
        finally
        {
            Volatile.Write(ref _refreshing, 0);
        }
    }

    private async Task<EventSchedule> FetchAsync(CancellationToken cancellationToken)
    {
        var eventId = options.CurrentValue.EventId;
        if (!_directoryResolved)
        {
            _directory = services.GetService<IEventDirectory>();
            _directoryResolved = true;
        }

        if (_directory is null)
        {
            return EventSchedule.Create(EventSettings.Default(eventId));
        }

        try
        {
            return EventSchedule.Create(await _directory.GetAsync(eventId, cancellationToken).ConfigureAwait(false));
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            // Keep what this node had (or, before the first read, admit as without a configuration) and try again after the interval.
            var current = Volatile.Read(ref _snapshot);
            Log.EventSettingsUnavailable(logger, eventId, current is null ? "no configuration until it answers" : "the last one read", e);
            return current?.Schedule ?? EventSchedule.Create(EventSettings.Default(eventId));
        }
    }

    private sealed record Snapshot(EventSchedule Schedule, long FetchedAt);
}
