namespace EventKit.Scaling;

/// <summary>
/// Supplies the load a node heartbeats. The default measures the process's CPU and reports no per-type load; register
/// your own (after <c>.AddScaling()</c>, it replaces the default) to feed in-flight, p95 and the writer backlog from
/// your metrics.
/// </summary>
public interface INodeLoadSource
{
    /// <summary>Samples the load now. Called once per heartbeat on one thread.</summary>
    /// <returns>The load.</returns>
    NodeLoad Sample();
}
