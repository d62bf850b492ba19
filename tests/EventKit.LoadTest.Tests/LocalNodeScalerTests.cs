namespace EventKit.LoadTest.Tests;

public class LocalNodeScalerTests
{
    [Fact]
    public void Scale_up_starts_one_node_and_a_repeat_while_it_starts_starts_none()
    {
        var scaler = new LocalNodeScaler(baseNodes: 3, maxNodes: 4);

        var first = scaler.Decide(fencingToken: 1, desiredReplicas: 4);
        var repeat = scaler.Decide(fencingToken: 1, desiredReplicas: 4);

        Assert.Equal((true, 1), (first.Accepted, first.Delta));
        Assert.Equal((true, 0), (repeat.Accepted, repeat.Delta));
        Assert.Equal(1, scaler.Extra);
    }

    [Fact]
    public void Desired_above_the_maximum_is_capped()
    {
        var scaler = new LocalNodeScaler(baseNodes: 3, maxNodes: 4);

        var decision = scaler.Decide(fencingToken: 5, desiredReplicas: 10);

        Assert.Equal(1, decision.Delta);
        Assert.Equal(1, scaler.Extra);
    }

    [Fact]
    public void Scale_down_stops_only_the_nodes_it_started_never_the_demos_own()
    {
        var scaler = new LocalNodeScaler(baseNodes: 3, maxNodes: 5);
        scaler.Decide(fencingToken: 2, desiredReplicas: 5);

        var down = scaler.Decide(fencingToken: 2, desiredReplicas: 1);
        var again = scaler.Decide(fencingToken: 2, desiredReplicas: 2);

        Assert.Equal(-2, down.Delta);
        Assert.Equal(0, again.Delta);
        Assert.Equal(0, scaler.Extra);
    }

    [Fact]
    public void A_deposed_leaders_older_token_is_refused_and_changes_nothing()
    {
        var scaler = new LocalNodeScaler(baseNodes: 3, maxNodes: 4);
        scaler.Decide(fencingToken: 7, desiredReplicas: 4);

        var stale = scaler.Decide(fencingToken: 6, desiredReplicas: 3);

        Assert.False(stale.Accepted);
        Assert.Equal(0, stale.Delta);
        Assert.Equal(1, scaler.Extra);
        Assert.True(scaler.Decide(fencingToken: 8, desiredReplicas: 3) is { Accepted: true, Delta: -1 });
    }

    [Fact]
    public void A_request_without_a_token_is_refused()
    {
        var scaler = new LocalNodeScaler(baseNodes: 3, maxNodes: 4);

        var decision = scaler.Decide(fencingToken: null, desiredReplicas: 4);

        Assert.False(decision.Accepted);
        Assert.Equal(0, scaler.Extra);
    }
}
