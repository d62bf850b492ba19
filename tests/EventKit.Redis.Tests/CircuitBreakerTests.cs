namespace EventKit.Redis.Tests;

public sealed class CircuitBreakerTests
{
    [Fact]
    public void Opens_after_the_threshold_stays_open_for_the_break_then_lets_calls_through()
    {
        var circuit = new CircuitBreaker(threshold: 3, breakMs: 1000);

        Assert.False(circuit.OnFailure(0));
        Assert.False(circuit.OnFailure(0));
        Assert.True(circuit.OnFailure(10));

        Assert.True(circuit.IsOpen(500));
        Assert.False(circuit.IsOpen(1010));
    }

    [Fact]
    public void A_success_resets_the_count_and_reports_closing()
    {
        var circuit = new CircuitBreaker(threshold: 2, breakMs: 1000);
        circuit.OnFailure(0);
        Assert.False(circuit.OnSuccess());
        Assert.False(circuit.OnFailure(0));

        Assert.True(circuit.OnFailure(0));
        Assert.True(circuit.OnSuccess());
        Assert.False(circuit.IsOpen(1));
    }
}
