using EventKit.Monitoring;
using EventKit.Scaling;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace EventKit.AspNetCore.Internal;

/// <summary>
/// The dashboard's per-gate tiles (from <c>eventkit.checkin.gate_admissions</c> and the event's gates, read through the
/// cached gate directory) and its node list (from EventKit.Scaling's <see cref="INodeRegistry"/> when registered).
/// </summary>
internal static class DashboardGatesBuilder
{
    public const string GateAdmissions = "eventkit.checkin.gate_admissions";
    public const string GateTag = "eventkit.gate.id";
    private static readonly TimeSpan LastAdmissionHorizon = TimeSpan.FromMinutes(15);

    /// <summary>The event's gates, ordered by id; none when no gate directory is registered.</summary>
    public static async Task<IReadOnlyList<Gate>> LoadGatesAsync(IServiceProvider services, CancellationToken cancellationToken)
    {
        if (services.GetService<IGateDirectory>() is not { } directory)
        {
            return [];
        }

        var eventId = services.GetRequiredService<IOptions<EventKitOptions>>().Value.EventId;
        var gates = await directory.GetAllAsync(eventId, cancellationToken).ConfigureAwait(false);
        return [.. gates.OrderBy(g => g.Id)];
    }

    public static IReadOnlyList<DashboardGate> Gates(IMetricsMonitor monitor, IReadOnlyList<Gate> gates, IAlertManager? alerts, TimeSpan window)
    {
        var alertList = alerts?.GetAlerts() ?? [];
        var tiles = new List<DashboardGate>(gates.Count);
        foreach (var gate in gates)
        {
            var id = gate.Id.ToString(System.Globalization.CultureInfo.InvariantCulture);
            var tag = new Dictionary<string, string>(StringComparer.Ordinal) { [GateTag] = id };
            var stats = monitor.GetStatistics(GateAdmissions, tag, window);
            DateTimeOffset? last = null;
            var points = monitor.GetPoints(GateAdmissions, tag, MetricPointValue.Value, LastAdmissionHorizon);
            for (var i = points.Count - 1; i >= 0; i--)
            {
                if (points[i].Value is > 0)
                {
                    last = DateTimeOffset.FromUnixTimeSeconds(points[i].UnixSeconds);
                    break;
                }
            }

            var concerning = new List<DashboardGateAlert>();
            foreach (var alert in alertList)
            {
                if (alert.State != AlertState.Inactive && Concerns(alert, id))
                {
                    concerning.Add(new DashboardGateAlert(alert.Name, alert.State, alert.Severity));
                }
            }

            tiles.Add(new DashboardGate(gate.Id, gate.Name, gate.Kind, gate.IsOpen, stats?.Total ?? 0, stats?.RatePerSecond ?? 0, last, concerning));
        }

        return tiles;
    }

    public static DashboardNodes Nodes(IServiceProvider services)
    {
        if (services.GetService<INodeRegistry>() is not { } registry)
        {
            return new DashboardNodes(false, null, false, []);
        }

        var nodes = new List<DashboardNode>();
        foreach (var node in registry.Nodes)
        {
            nodes.Add(new DashboardNode(node.NodeId, node.Url, node.NodeId == registry.LocalNodeId, node.Draining, node.StartedAt, node.HeartbeatAt, node.CpuUtilization, node.WriterBacklog));
        }

        return new DashboardNodes(true, registry.LocalNodeId, registry.IsRegistered, nodes);
    }

    private static bool Concerns(AlertStatus alert, string gateId) =>
        (alert.Labels.TryGetValue("gate", out var gate) && gate == gateId)
        || (alert.Labels.TryGetValue(GateTag, out var tagged) && tagged == gateId);
}
