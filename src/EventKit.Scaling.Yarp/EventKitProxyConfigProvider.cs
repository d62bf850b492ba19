using Microsoft.Extensions.Options;
using Microsoft.Extensions.Primitives;
using Yarp.ReverseProxy.Configuration;

namespace EventKit.Scaling.Yarp;

/// <summary>
/// YARP's routes and clusters from EventKit's node registry: one cluster whose destinations are the live, non-draining
/// nodes with an advertised URL (destination id = node id), the <see cref="EventKitLoadBalancingPolicy"/>, active
/// health checks on <see cref="EventKitGatewayOptions.HealthCheckPath"/> and passive ones on transport failures.
/// Rebuilt when the set of nodes changes.
/// </summary>
public sealed class EventKitProxyConfigProvider : IProxyConfigProvider, IDisposable
{
    private readonly INodeRegistry _registry;
    private readonly EventKitGatewayOptions _options;
    private readonly ITimer _timer;
    private readonly Lock _lock = new();
    private Snapshot _current;

    /// <summary>Creates the provider.</summary>
    /// <param name="registry">The node registry (a watcher: <c>.AddScaling(o =&gt; o.ObserveOnly = true)</c>).</param>
    /// <param name="options">The gateway options.</param>
    /// <param name="time">The clock of the refresh timer.</param>
    public EventKitProxyConfigProvider(INodeRegistry registry, IOptions<EventKitGatewayOptions> options, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(registry);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(time);
        _registry = registry;
        _options = options.Value;
        _current = Build();
        _timer = time.CreateTimer(static state => ((EventKitProxyConfigProvider)state!).Refresh(), this, _options.RefreshInterval, _options.RefreshInterval);
    }

    /// <inheritdoc/>
    public IProxyConfig GetConfig()
    {
        lock (_lock)
        {
            return _current;
        }
    }

    /// <inheritdoc/>
    public void Dispose() => _timer.Dispose();

    /// <summary>Compares the registry with the current destinations and publishes a new configuration when they differ.</summary>
    public void Refresh()
    {
        Snapshot? previous = null;
        lock (_lock)
        {
            var next = Build();
            if (next.Signature != _current.Signature)
            {
                previous = _current;
                _current = next;
            }
        }

        previous?.Expire();
    }

    private Snapshot Build()
    {
        var destinations = new Dictionary<string, DestinationConfig>(StringComparer.Ordinal);
        foreach (var node in _registry.Nodes)
        {
            if (!node.Draining && Uri.TryCreate(node.Url, UriKind.Absolute, out _))
            {
                destinations[node.NodeId] = new DestinationConfig { Address = node.Url! };
            }
        }

        var signature = string.Join('|', destinations.OrderBy(static d => d.Key, StringComparer.Ordinal).Select(static d => d.Key + "=" + d.Value.Address));
        var cluster = new ClusterConfig
        {
            ClusterId = _options.ClusterId,
            LoadBalancingPolicy = EventKitLoadBalancingPolicy.PolicyName,
            Destinations = destinations,
            HealthCheck = new HealthCheckConfig
            {
                Active = new ActiveHealthCheckConfig
                {
                    Enabled = true,
                    Interval = _options.HealthCheckInterval,
                    Timeout = _options.HealthCheckTimeout,
                    Policy = "ConsecutiveFailures",
                    Path = _options.HealthCheckPath,
                },
                Passive = new PassiveHealthCheckConfig { Enabled = true, Policy = "TransportFailureRate", ReactivationPeriod = TimeSpan.FromSeconds(10) },
            },
        };
        var route = new RouteConfig { RouteId = _options.ClusterId, ClusterId = _options.ClusterId, Match = new RouteMatch { Path = _options.RoutePath } };
        return new Snapshot([route], [cluster], signature);
    }

    private sealed class Snapshot(IReadOnlyList<RouteConfig> routes, IReadOnlyList<ClusterConfig> clusters, string signature) : IProxyConfig
    {
        private readonly CancellationTokenSource _changed = new();

        public string Signature { get; } = signature;

        public IReadOnlyList<RouteConfig> Routes { get; } = routes;

        public IReadOnlyList<ClusterConfig> Clusters { get; } = clusters;

        public IChangeToken ChangeToken => new CancellationChangeToken(_changed.Token);

        public void Expire()
        {
            _changed.Cancel();
            _changed.Dispose();
        }
    }
}
