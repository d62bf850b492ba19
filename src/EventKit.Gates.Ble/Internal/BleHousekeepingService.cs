using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace EventKit.Gates.Ble.Internal;

/// <summary>Keeps the resolver's table current (identities loaded at start and reloaded every interval, windows rolled) and
/// exits devices that are no longer heard.</summary>
internal sealed class BleHousekeepingService(
    IServiceProvider services,
    EddystoneEidResolver resolver,
    BleReportIngestor ingestor,
    IOptions<BleGateOptions> options,
    IOptions<EventKitOptions> eventKitOptions,
    TimeProvider time,
    ILogger<BleHousekeepingService> logger) : BackgroundService
{
    private readonly IBleIdentityStore? _store = services.GetService<IBleIdentityStore>();
    private DateTimeOffset _lastReload;
    private PeriodicTimer? _timer;

    public override async Task StartAsync(CancellationToken cancellationToken)
    {
        // Load before traffic arrives so the first reports resolve.
        await ReloadAsync(cancellationToken).ConfigureAwait(false);

        // Created here, not in ExecuteAsync (which runs on another thread), so no interval is missed between start and run.
        _timer = new PeriodicTimer(options.Value.HousekeepingInterval, time);
        await base.StartAsync(cancellationToken).ConfigureAwait(false);
    }

    internal async Task ReloadAsync(CancellationToken cancellationToken)
    {
        if (_store is null)
        {
            return;
        }

        var eventId = eventKitOptions.Value.EventId;
        try
        {
            var identities = await _store.GetActiveAsync(eventId, cancellationToken).ConfigureAwait(false);
            resolver.Load(identities);
            Log.IdentitiesLoaded(logger, identities.Count, eventId);
        }
        catch (Exception ex) when (ex is not OperationCanceledException and not OptionsValidationException)
        {
            // Storage may be down for a moment: keep what is loaded. A configuration error (storage refusing identity keys
            // without an encryption key outside Development) propagates, so the host fails at start naming the setting.
            Log.IdentityLoadFailed(logger, ex, resolver.IdentityCount);
        }

        _lastReload = time.GetUtcNow();
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = _timer ?? new PeriodicTimer(options.Value.HousekeepingInterval, time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
            {
                try
                {
                    ingestor.Housekeep();
                    if (time.GetUtcNow() - _lastReload >= options.Value.IdentityReloadInterval)
                    {
                        await ReloadAsync(stoppingToken).ConfigureAwait(false);
                    }
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    Log.HousekeepingFailed(logger, ex);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Host shutdown.
        }
    }
}
