using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using EventKit.Monitoring.Internal;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace EventKit.Monitoring.Tests;

/// <summary>A monitoring container on a fake clock: advance seconds, read alerts; notifications land in <see cref="Sink"/>.</summary>
internal sealed class MonitoringHarness : IDisposable
{
    private readonly ServiceProvider _provider;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _sending;

    public MonitoringHarness(Action<MonitoringOptions> configure, Action<IServiceCollection>? services = null)
    {
        var collection = new ServiceCollection().AddLogging();
        collection.AddSingleton<TimeProvider>(Time);
        collection.AddSingleton<IAlertSink>(Sink);
        services?.Invoke(collection);
        collection.AddEventKit().AddMonitoring(o =>
        {
            o.IncludeBuiltInRules = false;
            o.ListenToRuntime = false;
            o.ListenToNpgsql = false;
            o.UseResourceMonitoring = false;
            configure(o);
        });
        _provider = collection.BuildServiceProvider();
        Collector = _provider.GetRequiredService<MetricsCollector>();
        Engine = _provider.GetRequiredService<AlertEngine>();
        Collector.Start();
        Meter = _provider.GetRequiredService<IMeterFactory>().Create(EventKitDiagnostics.CheckIn);
        _sending = _provider.GetRequiredService<AlertDispatcher>().RunAsync(_stop.Token);
    }

    public FakeTimeProvider Time { get; } = new(new DateTimeOffset(2026, 12, 2, 9, 0, 0, TimeSpan.Zero));

    public CollectingSink Sink { get; } = new();

    public MetricsCollector Collector { get; }

    public AlertEngine Engine { get; }

    public Meter Meter { get; }

    public IServiceProvider Services => _provider;

    public void Seconds(int count, Action? eachSecond = null)
    {
        for (var i = 0; i < count; i++)
        {
            eachSecond?.Invoke();
            Time.Advance(TimeSpan.FromSeconds(1));
            Collector.Tick();
            Engine.Evaluate();
        }
    }

    public AlertStatus Alert(string name) => Engine.GetAlerts().Single(a => a.Name == name);

    public void Dispose()
    {
        _stop.Cancel();
        _sending.GetAwaiter().GetResult();
        _provider.Dispose();
    }

    internal sealed class CollectingSink : IAlertSink
    {
        public ConcurrentQueue<AlertNotification> Received { get; } = new();

        public ValueTask SendAsync(AlertNotification notification, CancellationToken cancellationToken)
        {
            Received.Enqueue(notification);
            return ValueTask.CompletedTask;
        }
    }
}
