using System.Collections.Concurrent;

namespace EventKit;

/// <summary>Live check-in counts of this node since it started: per outcome and admissions per gate.</summary>
/// <remarks>Lock-free; read by dashboards and the demo report. The durable truth is the attendance table.</remarks>
public sealed class CheckInCounters
{
    private readonly long[] _byStatus = new long[Enum.GetValues<CheckInStatus>().Length];
    private readonly ConcurrentDictionary<long, StrongBox> _admittedByGate = new();

    /// <summary>How many check-ins ended with <paramref name="status"/>.</summary>
    public long Count(CheckInStatus status) => Volatile.Read(ref _byStatus[(int)status]);

    /// <summary>Admissions per gate, a snapshot.</summary>
    public IReadOnlyDictionary<long, long> AdmittedByGate()
    {
        var snapshot = new Dictionary<long, long>(_admittedByGate.Count);
        foreach (var (gate, box) in _admittedByGate)
        {
            snapshot[gate] = Volatile.Read(ref box.Value);
        }

        return snapshot;
    }

    internal void Record(CheckInResult result)
    {
        Interlocked.Increment(ref _byStatus[(int)result.Status]);
        if (result.Status == CheckInStatus.Admitted)
        {
            Interlocked.Increment(ref _admittedByGate.GetOrAdd(result.GateId, static _ => new StrongBox()).Value);
        }
    }

    private sealed class StrongBox
    {
        public long Value;
    }
}
