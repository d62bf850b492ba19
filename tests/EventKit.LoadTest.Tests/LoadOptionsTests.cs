namespace EventKit.LoadTest.Tests;

public class LoadOptionsTests
{
    [Theory]
    [InlineData("both")]
    [InlineData("redis")]
    [InlineData("gate-owned")]
    public void Load_takes_nodes_with_each_claims_path(string claims)
    {
        var options = LoadOptions.Parse(["load", "--nodes", "3", "--claims", claims, "--port", "6300"]);

        Assert.Equal(("load", 3, claims, 6300), (options.Mode, options.Nodes, options.Claims, options.Port));
    }

    [Fact]
    public void Load_with_nodes_and_no_claims_runs_the_redis_claims()
    {
        var options = LoadOptions.Parse(["load", "--nodes", "3"]);

        Assert.Equal("redis", options.Claims);
    }

    [Fact]
    public void The_monitoring_ab_alternates_the_phases_asked_for()
    {
        var options = LoadOptions.Parse(["load", "--monitoring-ab", "--duration", "240", "--ab-phases", "24"]);

        Assert.Equal((24, TimeSpan.FromSeconds(240)), (options.AbPhases, options.Duration));
        Assert.Equal(1.0, LoadRun.Median([1.2, 0.7, 1.0]));
        Assert.Equal(0.95, LoadRun.Median([1.0, 0.9, 0.6, 1.3]), 9);
    }

    [Fact]
    public void The_multi_node_demo_takes_the_gate_owned_claims()
    {
        var options = LoadOptions.Parse(["demo", "--nodes", "3", "--claims", "gate-owned"]);

        Assert.Equal(("demo", 3, "gate-owned"), (options.Mode, options.Nodes, options.Claims));
    }

    [Theory]
    [InlineData(new[] { "load", "--nodes", "3", "--overload" }, "--overload")]
    [InlineData(new[] { "load", "--nodes", "3", "--monitoring-ab" }, "--monitoring-ab")]
    [InlineData(new[] { "load", "--nodes", "3", "--serve" }, "--serve")]
    [InlineData(new[] { "load", "--nodes", "10" }, "2 to 9")]
    [InlineData(new[] { "load", "--nodes", "3", "--autoscale" }, "--autoscale")]
    [InlineData(new[] { "ble", "--nodes", "3" }, "--nodes")]
    [InlineData(new[] { "demo", "--claims", "gate-owned" }, "./eventkit demo --nodes 3 --claims gate-owned")]
    [InlineData(new[] { "demo", "--nodes", "3", "--claims", "both" }, "one claims path")]
    [InlineData(new[] { "load", "--claims", "both", "--overload" }, "--overload")]
    [InlineData(new[] { "load", "--nodes", "3", "--claims", "some" }, "redis, gate-owned or both")]
    [InlineData(new[] { "load", "--monitoring-ab", "--ab-phases", "10" }, "multiple of 4")]
    [InlineData(new[] { "load", "--monitoring-ab", "--duration", "60", "--ab-phases", "16" }, "at least 5 s")]
    [InlineData(new[] { "load", "--ab-phases", "8" }, "--monitoring-ab")]
    public void Combinations_that_do_not_fit_are_refused_with_a_message_naming_the_option(string[] args, string expected)
    {
        var error = Assert.Throws<ArgumentException>(() => LoadOptions.Parse(args));

        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_help_text_names_the_multi_node_load_mode()
    {
        Assert.Contains("load: T1 through the gateway to N hosts", LoadOptions.Usage, StringComparison.Ordinal);
        Assert.Contains("/api/v1/gates/{gateId}/checkins", LoadOptions.Usage, StringComparison.Ordinal);
    }
}
