using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using EventKit.Monitoring.Internal;
using EventKit.Testing;

namespace EventKit.Monitoring.Tests.Internal;

public class AlertEngineTests
{
    private static AlertRuleOptions LevelRule(string name = "level_high") => new()
    {
        Name = name,
        Expression = AlertExpression.Gauge,
        Instrument = "eventkit.test.level",
        Window = TimeSpan.FromSeconds(1),
        Threshold = 10,
        For = TimeSpan.FromSeconds(5),
    };

    [Fact]
    public async Task Goes_inactive_pending_firing_resolved_honouring_for_and_keep_firing_for()
    {
        var rule = LevelRule();
        rule.KeepFiringFor = TimeSpan.FromSeconds(3);
        using var harness = new MonitoringHarness(o => o.Rules.Add(rule));
        var level = 0.0;
        harness.Meter.CreateObservableGauge("eventkit.test.level", () => level);

        harness.Seconds(3);
        Assert.Equal(AlertState.Inactive, harness.Alert("level_high").State);

        level = 20;
        harness.Seconds(1);
        Assert.Equal(AlertState.Pending, harness.Alert("level_high").State);
        harness.Seconds(4);
        Assert.Equal(AlertState.Pending, harness.Alert("level_high").State);
        harness.Seconds(1);
        var firing = harness.Alert("level_high");
        Assert.Equal(AlertState.Firing, firing.State);
        Assert.Equal(20, firing.Value);

        level = 0;
        harness.Seconds(2);
        Assert.Equal(AlertState.Firing, harness.Alert("level_high").State);
        harness.Seconds(1);
        Assert.Equal(AlertState.Resolved, harness.Alert("level_high").State);

        var transitions = harness.Engine.GetHistory().Reverse().Select(h => (h.From, h.To)).ToArray();
        Assert.Equal([(AlertState.Inactive, AlertState.Pending), (AlertState.Pending, AlertState.Firing), (AlertState.Firing, AlertState.Resolved)], transitions);
        await Eventually.TrueAsync(() => harness.Sink.Received.Count == 2, "firing and resolved were sent");
        Assert.Equal([true, false], harness.Sink.Received.Select(n => n.Firing));
        Assert.Equal("level_high", harness.Sink.Received.First().Labels["alertname"]);
    }

    [Fact]
    public void The_built_in_partition_missing_rule_fires_while_storage_reports_no_partition_ahead()
    {
        var ahead = 4;
        using var harness = new MonitoringHarness(o => o.IncludeBuiltInRules = true);
        harness.Services.GetRequiredService<IMeterFactory>().Create(EventKitDiagnostics.Storage)
            .CreateObservableGauge("eventkit.storage.partitions.ahead", () => ahead);
        harness.Seconds(5);
        Assert.Equal(AlertState.Inactive, harness.Alert("partition_missing").State);

        // A gauge rule reads the window's largest value: it fires once a whole minute said 0, and one good reading
        // (maintenance recreated the partition) resolves it.
        ahead = 0;
        harness.Seconds(30);
        Assert.Equal(AlertState.Inactive, harness.Alert("partition_missing").State);
        harness.Seconds(31);
        Assert.Equal(AlertState.Firing, harness.Alert("partition_missing").State);

        ahead = 4;
        harness.Seconds(1);
        Assert.Equal(AlertState.Resolved, harness.Alert("partition_missing").State);
    }

    [Fact]
    public void A_condition_shorter_than_for_never_fires()
    {
        using var harness = new MonitoringHarness(o => o.Rules.Add(LevelRule()));
        var level = 20.0;
        harness.Meter.CreateObservableGauge("eventkit.test.level", () => level);
        harness.Seconds(4);
        Assert.Equal(AlertState.Pending, harness.Alert("level_high").State);
        level = 1;
        harness.Seconds(1);
        Assert.Equal(AlertState.Inactive, harness.Alert("level_high").State);
        harness.Seconds(10);
        Assert.DoesNotContain(harness.Engine.GetHistory(), h => h.To == AlertState.Firing);
    }

    [Fact]
    public void Resolve_threshold_keeps_it_firing_until_the_value_crosses_it()
    {
        var rule = LevelRule();
        rule.For = TimeSpan.Zero;
        rule.ResolveThreshold = 5;
        using var harness = new MonitoringHarness(o => o.Rules.Add(rule));
        var level = 20.0;
        harness.Meter.CreateObservableGauge("eventkit.test.level", () => level);
        harness.Seconds(1);
        Assert.Equal(AlertState.Firing, harness.Alert("level_high").State);
        level = 7;
        harness.Seconds(5);
        Assert.Equal(AlertState.Firing, harness.Alert("level_high").State);
        level = 4;
        harness.Seconds(1);
        Assert.Equal(AlertState.Resolved, harness.Alert("level_high").State);
        level = 8;
        harness.Seconds(3);
        Assert.Equal(AlertState.Resolved, harness.Alert("level_high").State);
    }

    [Fact]
    public async Task A_firing_rule_inhibits_the_notifications_of_the_rules_it_names()
    {
        var database = LevelRule("database_down");
        database.For = TimeSpan.Zero;
        database.Inhibits = ["api_slow"];
        var api = LevelRule("api_slow");
        api.For = TimeSpan.Zero;
        api.Instrument = "eventkit.test.latency";
        using var harness = new MonitoringHarness(o => o.Rules.AddRange([database, api]));
        harness.Meter.CreateObservableGauge("eventkit.test.level", () => 20.0);
        harness.Meter.CreateObservableGauge("eventkit.test.latency", () => 20.0);
        harness.Seconds(2);

        Assert.Equal(AlertState.Firing, harness.Alert("api_slow").State);
        Assert.True(harness.Alert("api_slow").Inhibited);
        await Eventually.TrueAsync(() => !harness.Sink.Received.IsEmpty, "a notification was sent");
        Assert.Equal(["database_down"], harness.Sink.Received.Select(n => n.Name));
    }

    [Fact]
    public async Task A_silence_suppresses_notifications_but_not_evaluation()
    {
        var rule = LevelRule();
        rule.For = TimeSpan.Zero;
        var other = LevelRule("other");
        other.For = TimeSpan.Zero;
        using var harness = new MonitoringHarness(o => o.Rules.AddRange([rule, other]));
        harness.Meter.CreateObservableGauge("eventkit.test.level", () => 20.0);
        harness.Engine.AddSilence(new Dictionary<string, string> { ["alertname"] = "level_high" }, TimeSpan.FromMinutes(10), "maintenance");
        harness.Seconds(1);

        Assert.Equal(AlertState.Firing, harness.Alert("level_high").State);
        Assert.True(harness.Alert("level_high").Silenced);
        await Eventually.TrueAsync(() => !harness.Sink.Received.IsEmpty, "the other alert was sent");
        Assert.Equal(["other"], harness.Sink.Received.Select(n => n.Name));
        Assert.Single(harness.Engine.GetSilences());
        harness.Seconds(601);
        Assert.Empty(harness.Engine.GetSilences());
    }

    [Fact]
    public void Ratio_and_quantile_rules_read_the_windows()
    {
        using var harness = new MonitoringHarness(o => o.Rules.AddRange(
        [
            new AlertRuleOptions
            {
                Name = "errors", Expression = AlertExpression.Ratio, Instrument = "http.server.request.duration",
                NumeratorTags = new() { [InstrumentSeries.StatusClassTag] = "5xx" }, Window = TimeSpan.FromMinutes(1), Threshold = 0.01, MinimumCount = 10,
            },
            new AlertRuleOptions
            {
                Name = "p95", Expression = AlertExpression.Quantile, Instrument = "http.server.request.duration",
                Quantile = 0.95, Window = TimeSpan.FromMinutes(1), Threshold = 1,
            },
        ]));
        using var hosting = harness.Services.GetRequiredService<IMeterFactory>().Create(new System.Diagnostics.Metrics.MeterOptions(MetricsCollector.AspNetCoreHostingMeter));
        var duration = hosting.CreateHistogram<double>("http.server.request.duration");
        harness.Seconds(1, () =>
        {
            for (var i = 0; i < 98; i++)
            {
                duration.Record(0.010 + (i * 0.0001), new("http.route", "/api/v1/checkins"), new("http.response.status_code", 201));
            }

            duration.Record(2.0, new("http.route", "/api/v1/checkins"), new("http.response.status_code", 503));
            duration.Record(3.0, new("http.route", "/api/v1/checkins"), new("http.response.status_code", 500));
        });

        var errors = harness.Alert("errors");
        Assert.Equal(0.02, errors.Value!.Value, 6);
        Assert.Equal(AlertState.Firing, errors.State);
        var p95 = harness.Alert("p95");
        Assert.InRange(p95.Value!.Value, 0.0195 * 0.99, 0.0196 * 1.01);
        Assert.Equal(AlertState.Inactive, p95.State);
    }

    [Fact]
    public void Too_few_samples_give_no_value_and_no_alert()
    {
        using var harness = new MonitoringHarness(o => o.Rules.Add(new AlertRuleOptions
        {
            Name = "errors", Expression = AlertExpression.Ratio, Instrument = "eventkit.checkin.outcomes",
            NumeratorTags = new() { ["eventkit.checkin.status"] = "unavailable" }, Window = TimeSpan.FromMinutes(1), Threshold = 0.01, MinimumCount = 100,
        }));
        var outcomes = harness.Meter.CreateCounter<long>("eventkit.checkin.outcomes");
        harness.Seconds(1, () => outcomes.Add(5, new KeyValuePair<string, object?>("eventkit.checkin.status", "unavailable")));
        Assert.Null(harness.Alert("errors").Value);
        Assert.Equal(AlertState.Inactive, harness.Alert("errors").State);
    }
}
