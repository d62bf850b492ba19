using System.Diagnostics;

namespace EventKit.Scaling.Internal;

/// <summary>The default load source: the process's CPU share of the machine since the last sample, and the per-type load of an <see cref="IRequestLoadProvider"/> when one is registered.</summary>
internal sealed class ProcessNodeLoadSource(TimeProvider time, IRequestLoadProvider? requests = null) : INodeLoadSource
{
    private static readonly IReadOnlyDictionary<string, RequestTypeLoad> NoLoad = new Dictionary<string, RequestTypeLoad>();
    private TimeSpan _lastCpu = Process.GetCurrentProcess().TotalProcessorTime;
    private long _lastStamp = time.GetTimestamp();

    public NodeLoad Sample()
    {
        using var process = Process.GetCurrentProcess();
        var cpu = process.TotalProcessorTime;
        var stamp = time.GetTimestamp();
        var elapsed = time.GetElapsedTime(_lastStamp, stamp);
        var utilization = elapsed > TimeSpan.Zero ? (cpu - _lastCpu).TotalMilliseconds / (elapsed.TotalMilliseconds * Environment.ProcessorCount) : 0;
        _lastCpu = cpu;
        _lastStamp = stamp;
        return new NodeLoad(Math.Clamp(utilization, 0, 1), requests?.Sample() ?? NoLoad, 0);
    }
}
