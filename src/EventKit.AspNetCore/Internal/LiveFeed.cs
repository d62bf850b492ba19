using System.Runtime.CompilerServices;
using EventKit.Monitoring;

namespace EventKit.AspNetCore.Internal;

/// <summary>
/// The SSE update of the current second, computed once per second however many dashboards are open (a viewer
/// costs a serialisation, not a pass over every series).
/// </summary>
internal sealed class LiveFeed
{
    private static readonly ConditionalWeakTable<IMetricsMonitor, LiveFeed> Feeds = [];

    private readonly Lock _gate = new();
    private long _second = long.MinValue;
    private LiveUpdate? _update;

    public static LiveFeed For(IMetricsMonitor monitor) => Feeds.GetValue(monitor, static _ => new LiveFeed());

    public LiveUpdate Current(IMetricsMonitor monitor, IAlertManager? alerts, IReadOnlyList<Gate> gates, IServiceProvider services, TimeProvider time)
    {
        var now = time.GetUtcNow();
        var second = now.ToUnixTimeSeconds();
        lock (_gate)
        {
            if (_update is not null && _second == second)
            {
                return _update;
            }

            var snapshot = monitor.GetSnapshot();
            var active = new List<AlertStatus>();
            IReadOnlyList<RecoveryAuditEntry> actions = [];
            if (alerts is not null)
            {
                foreach (var alert in alerts.GetAlerts())
                {
                    if (alert.State != AlertState.Inactive)
                    {
                        active.Add(alert);
                    }
                }

                var audit = alerts.GetRecoveryAudit();
                actions = audit.Count > 20 ? [.. audit.Take(20)] : audit;
            }

            var last = monitor.GetPoints("eventkit.checkin.outcomes", null, MetricPointValue.Value, TimeSpan.FromSeconds(1));
            _update = new LiveUpdate(
                now,
                DashboardTilesBuilder.Tiles(monitor, snapshot, alerts, TimeSpan.FromMinutes(1)),
                DashboardGatesBuilder.Gates(monitor, gates, alerts, TimeSpan.FromMinutes(1)),
                DashboardGatesBuilder.Nodes(services),
                last.Count == 0 ? second : last[^1].UnixSeconds,
                DashboardTilesBuilder.LastPoint(monitor, "checkIns"),
                DashboardTilesBuilder.LastPoint(monitor, "p95"),
                DashboardTilesBuilder.LastPoint(monitor, "cpu"),
                DashboardTilesBuilder.LastPoint(monitor, "memory"),
                active,
                actions);
            _second = second;
            return _update;
        }
    }
}
