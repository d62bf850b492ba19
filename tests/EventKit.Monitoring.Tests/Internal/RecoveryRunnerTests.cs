using EventKit.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace EventKit.Monitoring.Tests.Internal;

public class RecoveryRunnerTests
{
    [Theory]
    [InlineData(300, 1, RecoveryOutcome.Cooldown)]
    [InlineData(0, 4, RecoveryOutcome.RateLimited)]
    public async Task An_action_whose_effect_retriggers_its_rule_never_loops(int cooldownSeconds, int expectedRuns, RecoveryOutcome stoppedBy)
    {
        // The action drains the queue (the rule resolves), but its own effect brings a spike back 3 s later that
        // re-triggers the rule, which would run the action again, and again, for ever.
        var level = 0.0;
        var spikeIn = 0;
        var action = new DelegateAction("drain", () => spikeIn = 3);
        using var harness = new MonitoringHarness(
            o =>
            {
                o.Rules.Add(new AlertRuleOptions
                {
                    Name = "queue_high", Expression = AlertExpression.Gauge, Instrument = "eventkit.test.level",
                    Window = TimeSpan.FromSeconds(1), Threshold = 10, Actions = ["drain"],
                });
                o.Recovery.Cooldown = TimeSpan.FromSeconds(cooldownSeconds);
                o.Recovery.MaxPerHour = 4;
            },
            services => services.AddSingleton<IRecoveryAction>(action));
        harness.Meter.CreateObservableGauge("eventkit.test.level", () => level);

        harness.Seconds(3600, () => level = spikeIn-- == 0 ? 20 : 0);

        var firings = harness.Engine.GetHistory().Count(h => h.To == AlertState.Firing);
        Assert.Equal(expectedRuns, action.Runs);
        Assert.Equal(expectedRuns + 1, firings);
        await Eventually.TrueAsync(() => harness.Engine.GetRecoveryAudit().Count(a => a.Outcome == RecoveryOutcome.Succeeded) == expectedRuns, "every run was audited");
        var audit = harness.Engine.GetRecoveryAudit();
        Assert.Single(audit, a => a.Outcome == stoppedBy);
        Assert.All(audit, a => Assert.Equal("queue_high", a.Rule));
    }

    [Fact]
    public void An_action_runs_once_per_firing_even_while_its_effect_keeps_the_rule_firing()
    {
        var level = 0.0;
        var action = new DelegateAction("bump", () => level += 5);
        using var harness = new MonitoringHarness(
            o => o.Rules.Add(new AlertRuleOptions
            {
                Name = "queue_high", Expression = AlertExpression.Gauge, Instrument = "eventkit.test.level",
                Window = TimeSpan.FromSeconds(1), Threshold = 10, Actions = ["bump"],
            }),
            services => services.AddSingleton<IRecoveryAction>(action));
        harness.Meter.CreateObservableGauge("eventkit.test.level", () => level);
        level = 20;
        harness.Seconds(600);
        Assert.Equal(AlertState.Firing, harness.Engine.GetAlerts().Single(a => a.Name == "queue_high").State);
        Assert.Equal(1, action.Runs);
    }

    [Fact]
    public void Dry_run_audits_without_acting_and_unknown_actions_are_audited()
    {
        var action = new DelegateAction("shed", () => { });
        using var harness = new MonitoringHarness(
            o =>
            {
                o.Recovery.DryRun = true;
                o.Rules.Add(new AlertRuleOptions
                {
                    Name = "queue_high", Expression = AlertExpression.Gauge, Instrument = "eventkit.test.level",
                    Window = TimeSpan.FromSeconds(1), Threshold = 10, Actions = ["shed", "no_such_action"],
                });
            },
            services => services.AddSingleton<IRecoveryAction>(action));
        harness.Meter.CreateObservableGauge("eventkit.test.level", () => 20.0);
        harness.Seconds(2);
        Assert.Equal(0, action.Runs);
        var audit = harness.Engine.GetRecoveryAudit();
        Assert.Contains(audit, a => a.Action == "shed" && a.Outcome == RecoveryOutcome.DryRun);
        Assert.Contains(audit, a => a.Action == "no_such_action" && a.Outcome == RecoveryOutcome.Unknown);
    }

    [Fact]
    public async Task Scale_out_without_an_executor_raises_an_alert_that_follows_its_rule()
    {
        var level = 20.0;
        using var harness = new MonitoringHarness(o => o.Rules.Add(new AlertRuleOptions
        {
            Name = "api_slow", Expression = AlertExpression.Gauge, Instrument = "eventkit.test.level",
            Window = TimeSpan.FromSeconds(1), Threshold = 10, Actions = [RecoveryActionNames.ScaleOut],
        }));
        harness.Meter.CreateObservableGauge("eventkit.test.level", () => level);
        harness.Seconds(1);
        await Eventually.TrueAsync(() => harness.Engine.GetRecoveryAudit().Any(a => a.Outcome == RecoveryOutcome.Failed), "the scale-out was audited as failed");
        harness.Seconds(1);
        Assert.Equal(AlertState.Firing, harness.Alert("scale_out_unavailable").State);
        level = 0;
        harness.Seconds(2);
        Assert.Equal(AlertState.Resolved, harness.Alert("scale_out_unavailable").State);
    }

    [Fact]
    public async Task Scale_out_uses_a_registered_executor()
    {
        var executor = new RecordingExecutor();
        using var harness = new MonitoringHarness(
            o => o.Rules.Add(new AlertRuleOptions
            {
                Name = "api_slow", Expression = AlertExpression.Gauge, Instrument = "eventkit.test.level",
                Window = TimeSpan.FromSeconds(1), Threshold = 10, Actions = [RecoveryActionNames.ScaleOut],
            }),
            services => services.AddSingleton<IScaleExecutor>(executor));
        harness.Meter.CreateObservableGauge("eventkit.test.level", () => 20.0);
        harness.Seconds(1);
        await Eventually.TrueAsync(() => harness.Engine.GetRecoveryAudit().Any(a => a.Outcome == RecoveryOutcome.Succeeded), "the scale-out succeeded");
        Assert.Single(executor.Reasons);
        Assert.StartsWith("api_slow", executor.Reasons[0], StringComparison.Ordinal);
    }

    [Fact]
    public async Task Shed_load_asks_a_registered_load_shedder_and_fails_without_one()
    {
        var rule = new AlertRuleOptions
        {
            Name = "backlog", Expression = AlertExpression.Gauge, Instrument = "eventkit.test.level",
            Window = TimeSpan.FromSeconds(1), Threshold = 10, Actions = [RecoveryActionNames.ShedLoad],
        };
        using (var without = new MonitoringHarness(o => o.Rules.Add(rule)))
        {
            without.Meter.CreateObservableGauge("eventkit.test.level", () => 20.0);
            without.Seconds(1);
            await Eventually.TrueAsync(() => without.Engine.GetRecoveryAudit().Any(a => a.Outcome == RecoveryOutcome.Failed), "shed_load was audited as failed");
            Assert.StartsWith("No ILoadShedder is registered", without.Engine.GetRecoveryAudit()[0].Detail, StringComparison.Ordinal);
        }

        var shedder = new RecordingShedder();
        using var with = new MonitoringHarness(o => o.Rules.Add(rule), services => services.AddSingleton<ILoadShedder>(shedder));
        with.Meter.CreateObservableGauge("eventkit.test.level", () => 20.0);
        with.Seconds(1);
        await Eventually.TrueAsync(() => with.Engine.GetRecoveryAudit().Any(a => a.Outcome == RecoveryOutcome.Succeeded), "shed_load succeeded");
        Assert.Equal("shedding", with.Engine.GetRecoveryAudit()[0].Detail);
        Assert.StartsWith("backlog = 20", Assert.Single(shedder.Reasons), StringComparison.Ordinal);
    }

    private sealed class RecordingShedder : ILoadShedder
    {
        public List<string> Reasons { get; } = [];

        public ValueTask<string> ShedLoadAsync(string reason, CancellationToken cancellationToken)
        {
            Reasons.Add(reason);
            return ValueTask.FromResult("shedding");
        }
    }

    private sealed class DelegateAction(string name, Action effect) : IRecoveryAction
    {
        private int _runs;

        public string Name => name;

        public int Runs => Volatile.Read(ref _runs);

        public ValueTask<RecoveryResult> ExecuteAsync(RecoveryContext context, CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref _runs);
            effect();
            return ValueTask.FromResult(new RecoveryResult(true, "done"));
        }
    }

    private sealed class RecordingExecutor : IScaleExecutor
    {
        public List<string> Reasons { get; } = [];

        public ValueTask<string> ScaleAsync(ScaleRequest request, CancellationToken cancellationToken)
        {
            // Monitoring asks for one step more, without a count or a leader's token.
            Assert.True(request.IsScaleOutStep);
            Assert.Null(request.FencingToken);
            Reasons.Add(request.Reason);
            return ValueTask.FromResult("requested 1 more node");
        }
    }
}
