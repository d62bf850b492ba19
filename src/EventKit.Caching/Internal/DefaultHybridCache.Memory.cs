namespace EventKit.Caching.Internal;

internal sealed partial class DefaultHybridCache
{
    private const double CompactionPercentage = 0.25;
    private readonly ITimer? _memoryTimer;

    /// <summary>Process memory (working set) over the memory the GC may use (container limits included); replaceable in tests.</summary>
    internal Func<double> MemoryLoad { get; set; } = static () =>
    {
        var available = GC.GetGCMemoryInfo().TotalAvailableMemoryBytes;
        return available <= 0 ? 0 : (double)Environment.WorkingSet / available;
    };

    /// <summary>Compacts L1 by a quarter (least recently used first) when memory load is at or above the threshold.</summary>
    internal bool CheckMemory()
    {
        var load = MemoryLoad();
        if (load < _options.MemoryCompactionThreshold)
        {
            return false;
        }

        Log.CompactingL1(_logger, load, _options.MemoryCompactionThreshold, CompactionPercentage);
        _memory.Compact(CompactionPercentage);
        return true;
    }

    /// <summary>Compacts L1 by a quarter now, whatever the memory load (the <c>compact_l1</c> recovery action).</summary>
    /// <returns>The entry count before and after.</returns>
    internal (int Before, int After) CompactL1()
    {
        var before = _memory.Count;
        _memory.Compact(CompactionPercentage);
        return (before, _memory.Count);
    }

    private ITimer? StartMemoryMonitor() =>
        _options.MemoryCompactionThreshold >= 1
            ? null
            : _time.CreateTimer(static state => ((DefaultHybridCache)state!).CheckMemory(), this, _options.MemoryCheckInterval, _options.MemoryCheckInterval);
}
