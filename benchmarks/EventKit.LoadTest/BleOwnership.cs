using EventKit.Scaling;

namespace EventKit.LoadTest;

/// <summary>
/// Whether each BLE report was processed by its gate's owner (rendezvous hashing over the live node ids, as the nodes
/// compute it): before a membership change with <paramref name="NodesBefore"/>, after it settled with
/// <paramref name="NodesAfter"/>; reports between the two are counted apart (a node whose owner is unreachable
/// processes a report itself until the registry drops the owner).
/// </summary>
internal sealed record BleOwnership(
    IReadOnlyCollection<string> NodesBefore,
    IReadOnlyCollection<string> NodesAfter,
    int Before,
    int BeforeByOwner,
    int During,
    int After,
    int AfterByOwner,
    int Forwarded,
    IReadOnlyList<GateMove> Moved)
{
    /// <param name="reports">Answered reports (2xx) with the node that processed each.</param>
    /// <param name="gates">The gates with gateways.</param>
    /// <param name="nodesBefore">The live node ids before the change.</param>
    /// <param name="nodesAfter">The live node ids after it.</param>
    /// <param name="changeStarted">Stopwatch timestamp of the change (the kill); reports before it use <paramref name="nodesBefore"/>.</param>
    /// <param name="changeSettled">Stopwatch timestamp from which <paramref name="nodesAfter"/> applies.</param>
    public static BleOwnership Check(IEnumerable<BleReport> reports, IReadOnlyCollection<long> gates, IReadOnlyCollection<string> nodesBefore, IReadOnlyCollection<string> nodesAfter, long changeStarted, long changeSettled)
    {
        var ownerBefore = gates.ToDictionary(g => g, g => RendezvousHash.Owner(g, nodesBefore));
        var ownerAfter = gates.ToDictionary(g => g, g => RendezvousHash.Owner(g, nodesAfter));
        int before = 0, beforeByOwner = 0, during = 0, after = 0, afterByOwner = 0, forwarded = 0;
        var observedAfter = new Dictionary<long, HashSet<string>>();
        foreach (var report in reports)
        {
            if (report.Status is < 200 or > 299 || report.ProcessedBy is null)
            {
                continue;
            }

            if (report.ReceivedBy is not null && !string.Equals(report.ReceivedBy, report.ProcessedBy, StringComparison.Ordinal))
            {
                forwarded++;
            }

            if (report.Timestamp < changeStarted)
            {
                before++;
                beforeByOwner += string.Equals(ownerBefore.GetValueOrDefault(report.Gate), report.ProcessedBy, StringComparison.Ordinal) ? 1 : 0;
            }
            else if (report.Timestamp < changeSettled)
            {
                during++;
            }
            else
            {
                after++;
                afterByOwner += string.Equals(ownerAfter.GetValueOrDefault(report.Gate), report.ProcessedBy, StringComparison.Ordinal) ? 1 : 0;
                if (!observedAfter.TryGetValue(report.Gate, out var seen))
                {
                    observedAfter[report.Gate] = seen = new HashSet<string>(StringComparer.Ordinal);
                }

                seen.Add(report.ProcessedBy);
            }
        }

        var moved = gates
            .Where(g => !string.Equals(ownerBefore[g], ownerAfter[g], StringComparison.Ordinal))
            .Order()
            .Select(g => new GateMove(g, ownerBefore[g], ownerAfter[g], observedAfter.TryGetValue(g, out var seen) ? string.Join("+", seen.Order(StringComparer.Ordinal)) : null))
            .ToList();
        return new BleOwnership(nodesBefore, nodesAfter, before, beforeByOwner, during, after, afterByOwner, forwarded, moved);
    }
}
