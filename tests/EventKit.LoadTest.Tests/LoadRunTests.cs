using EventKit.Scaling;

namespace EventKit.LoadTest.Tests;

public class LoadRunTests
{
    [Fact]
    public void Gate_owned_scanners_post_to_the_route_the_gateway_sends_to_the_gate_owner()
    {
        var path = "/" + LoadRun.GateCheckInPath(42);

        Assert.True(RequestTypes.TryGetCheckInGateId(path, out var gate));
        Assert.Equal(42, gate);
        Assert.Equal(RequestTypes.CheckIn, RequestTypes.Classify("POST", path));
    }
}
