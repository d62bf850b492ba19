using EventKit.Scaling;

namespace EventKit.LoadTest.Tests;

public class BleOwnershipTests
{
    private static readonly string[] ThreeNodes = ["node-1", "node-2", "node-3"];
    private static readonly string[] Survivors = ["node-1", "node-2"];
    private static readonly long[] Gates = [.. Enumerable.Range(1, 20).Select(static i => (long)i)];

    [Fact]
    public void Reports_processed_by_the_owner_count_as_such_and_others_do_not()
    {
        var reports = Gates.Select(g => new BleReport(1, g, "node-1", RendezvousHash.Owner(g, ThreeNodes), 202))
            .Append(new BleReport(1, 1, "node-1", Other(1, ThreeNodes), 202))
            .ToArray();

        var check = BleOwnership.Check(reports, Gates, ThreeNodes, ThreeNodes, changeStarted: 10, changeSettled: 20);

        Assert.Equal(21, check.Before);
        Assert.Equal(20, check.BeforeByOwner);
        Assert.Empty(check.Moved);
    }

    [Fact]
    public void Only_the_killed_nodes_gates_move_and_reports_in_the_change_are_counted_apart()
    {
        var victimGates = Gates.Where(g => RendezvousHash.Owner(g, ThreeNodes) == "node-3").ToArray();
        var reports = Gates.Select(g => new BleReport(15, g, "node-1", "node-1", 202))
            .Concat(Gates.Select(g => new BleReport(25, g, "node-2", RendezvousHash.Owner(g, Survivors), 202)))
            .Append(new BleReport(25, 1, "node-2", null, 503))
            .ToArray();

        var check = BleOwnership.Check(reports, Gates, ThreeNodes, Survivors, changeStarted: 10, changeSettled: 20);

        Assert.NotEmpty(victimGates);
        Assert.Equal(victimGates, check.Moved.Select(static m => m.Gate));
        Assert.All(check.Moved, static m => Assert.Equal("node-3", m.From));
        Assert.All(check.Moved, m => Assert.Equal(m.To, m.ObservedAfter));
        Assert.Equal((20, 20, 20), (check.During, check.After, check.AfterByOwner));
        Assert.Equal(reports.Count(static r => r.Status == 202 && r.ReceivedBy != r.ProcessedBy), check.Forwarded);
    }

    private static string Other(long gate, string[] nodes) => nodes.First(n => n != RendezvousHash.Owner(gate, nodes));
}
