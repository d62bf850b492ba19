namespace EventKit.Scaling.Tests;

public sealed class RendezvousHashTests
{
    [Fact]
    public void Adding_a_fifth_node_moves_about_a_fifth_of_the_gates_all_to_it()
    {
        string[] four = ["node-a", "node-b", "node-c", "node-d"];
        string[] five = [.. four, "node-e"];
        const int gates = 10_000;
        var moved = 0;
        for (long gate = 1; gate <= gates; gate++)
        {
            var before = RendezvousHash.Owner(gate, four);
            var after = RendezvousHash.Owner(gate, five);
            if (before != after)
            {
                moved++;
                Assert.Equal("node-e", after);
            }
        }

        var share = moved / (double)gates;
        Assert.InRange(share, 0.17, 0.23); // 1/5 = 0.2
    }

    [Fact]
    public void Removing_a_node_moves_only_its_own_gates_and_spreads_them()
    {
        string[] four = ["node-a", "node-b", "node-c", "node-d"];
        string[] three = ["node-a", "node-b", "node-d"];
        var receivers = new Dictionary<string, int>();
        var owned = 0;
        for (long gate = 1; gate <= 10_000; gate++)
        {
            var before = RendezvousHash.Owner(gate, four)!;
            var after = RendezvousHash.Owner(gate, three)!;
            if (before == "node-c")
            {
                owned++;
                receivers[after] = receivers.GetValueOrDefault(after) + 1;
            }
            else
            {
                Assert.Equal(before, after);
            }
        }

        Assert.InRange(owned / 10_000.0, 0.22, 0.28);
        Assert.Equal(3, receivers.Count);
        Assert.All(receivers.Values, n => Assert.InRange(n, owned / 5, owned / 2));
    }

    [Fact]
    public void The_owner_does_not_depend_on_the_order_of_the_nodes()
    {
        for (long gate = 1; gate <= 100; gate++)
        {
            Assert.Equal(RendezvousHash.Owner(gate, ["x", "y", "z"]), RendezvousHash.Owner(gate, ["z", "x", "y"]));
        }

        Assert.Null(RendezvousHash.Owner(1, []));
    }
}
