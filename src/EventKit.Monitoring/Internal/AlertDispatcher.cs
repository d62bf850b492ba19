using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace EventKit.Monitoring.Internal;

/// <summary>
/// Fans notifications out to the sinks: one bounded queue and one sender per sink, so <see cref="Publish"/> never
/// blocks (a full queue drops its oldest notification) and a slow webhook delays only itself.
/// </summary>
internal sealed class AlertDispatcher
{
    private readonly (IAlertSink Sink, Channel<AlertNotification> Queue)[] _sinks;
    private readonly ILogger _logger;

    public AlertDispatcher(IEnumerable<IAlertSink> sinks, IOptions<MonitoringOptions> options, ILogger<AlertDispatcher> logger)
    {
        _logger = logger;
        var capacity = options.Value.Webhook.QueueCapacity;
        _sinks = [.. sinks.Select(sink => (sink, Channel.CreateBounded<AlertNotification>(
            new BoundedChannelOptions(capacity) { FullMode = BoundedChannelFullMode.DropOldest, SingleReader = true },
            _ => Log.SinkQueueFull(logger, sink.GetType().Name))))];
    }

    public void Publish(AlertNotification notification)
    {
        foreach (var (_, queue) in _sinks)
        {
            queue.Writer.TryWrite(notification);
        }
    }

    /// <summary>Sends until <paramref name="stoppingToken"/> is cancelled.</summary>
    public Task RunAsync(CancellationToken stoppingToken) => Task.WhenAll(_sinks.Select(s => SendLoopAsync(s.Sink, s.Queue.Reader, stoppingToken)));

    private async Task SendLoopAsync(IAlertSink sink, ChannelReader<AlertNotification> queue, CancellationToken stoppingToken)
    {
        try
        {
            await foreach (var notification in queue.ReadAllAsync(stoppingToken).ConfigureAwait(false))
            {
                try
                {
                    await sink.SendAsync(notification, stoppingToken).ConfigureAwait(false);
                }
                catch (Exception e) when (e is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
                {
                    Log.SinkFailed(_logger, sink.GetType().Name, notification.Name, e);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }
}
