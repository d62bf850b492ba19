namespace EventKit.Scaling.Yarp;

/// <summary>Options of the YARP configuration built from EventKit's node registry (<c>.LoadFromEventKitNodes()</c>).</summary>
public sealed class EventKitGatewayOptions
{
    /// <summary>The YARP cluster id of EventKit's nodes.</summary>
    /// <remarks>Default <c>eventkit</c>.</remarks>
    public string ClusterId { get; set; } = "eventkit";

    /// <summary>The route's path pattern.</summary>
    /// <remarks>Default <c>{**catch-all}</c>: every request goes to EventKit's nodes.</remarks>
    public string RoutePath { get; set; } = "{**catch-all}";

    /// <summary>The path YARP's active health check probes on every node.</summary>
    /// <remarks>Default <c>/health/ready</c> (503 when a node is unhealthy, for example draining or, with <c>RequireSharedClaims</c>, without Redis).</remarks>
    public string HealthCheckPath { get; set; } = "/health/ready";

    /// <summary>How often the active health check probes each node.</summary>
    /// <remarks>Default 5 s.</remarks>
    public TimeSpan HealthCheckInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>How long one probe may take.</summary>
    /// <remarks>Default 2 s.</remarks>
    public TimeSpan HealthCheckTimeout { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>How often the destinations are compared with the registry (nodes joined, left, started or stopped draining).</summary>
    /// <remarks>Default 1 s.</remarks>
    public TimeSpan RefreshInterval { get; set; } = TimeSpan.FromSeconds(1);
}
