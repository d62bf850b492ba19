using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace EventKit.Monitoring.Internal;

/// <summary>Runs <see cref="SuggestionEngine"/> after <see cref="SuggestionsOptions.InitialDelay"/>, then every <see cref="SuggestionsOptions.Interval"/> (sooner when a source could not look).</summary>
internal sealed class SuggestionScheduler(SuggestionEngine engine, IOptions<MonitoringOptions> options, TimeProvider time) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var o = options.Value.Suggestions;
        if (!o.Enabled)
        {
            return;
        }

        try
        {
            await Task.Delay(o.InitialDelay, time, stoppingToken).ConfigureAwait(false);
            while (true)
            {
                // The engine isolates its sources' failures; what reaches here is cancellation.
                await engine.RefreshAsync(stoppingToken).ConfigureAwait(false);
                await Task.Delay(engine.LastRunIncomplete ? o.BusyRetryDelay : o.Interval, time, stoppingToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }
}
