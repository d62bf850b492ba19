using System.Diagnostics.Metrics;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace EventKit.Monitoring.Internal;

/// <summary>
/// Runs the host's health checks on an interval and publishes each one as <c>eventkit.health.status</c> (1 healthy,
/// 0.5 degraded, 0 unhealthy, tag <c>check</c>), so rules can alert on "PostgreSQL unreachable" through a meter.
/// </summary>
internal sealed class HealthProbe
{
    private readonly HealthCheckService? _health;
    private volatile KeyValuePair<string, double>[] _last = [];

    public HealthProbe(IServiceProvider services, IMeterFactory meterFactory)
    {
        _health = services.GetService(typeof(HealthCheckService)) as HealthCheckService;
        var meter = meterFactory.Create(EventKitDiagnostics.Monitoring);
        meter.CreateObservableGauge("eventkit.health.status", Observe, "1", "Health check results: 1 healthy, 0.5 degraded, 0 unhealthy, by check.");
    }

    public bool Available => _health is not null;

    public async Task ProbeAsync(CancellationToken cancellationToken)
    {
        if (_health is null)
        {
            return;
        }

        var report = await _health.CheckHealthAsync(cancellationToken).ConfigureAwait(false);
        var results = new KeyValuePair<string, double>[report.Entries.Count];
        var i = 0;
        foreach (var (name, entry) in report.Entries)
        {
            results[i++] = new(name, entry.Status switch
            {
                HealthStatus.Healthy => 1,
                HealthStatus.Degraded => 0.5,
                _ => 0,
            });
        }

        _last = results;
    }

    private IEnumerable<Measurement<double>> Observe()
    {
        foreach (var (name, value) in _last)
        {
            yield return new Measurement<double>(value, new KeyValuePair<string, object?>("check", name));
        }
    }
}
