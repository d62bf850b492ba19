using System.Diagnostics.Metrics;
using Microsoft.Extensions.Options;

namespace EventKit.Monitoring.Internal;

/// <summary>
/// Evaluates the rules once a second over <see cref="IMetricsMonitor"/> with Prometheus' semantics: the condition
/// must hold for <c>For</c> before firing; a firing alert stays firing while the value has not crossed the resolve
/// threshold (hysteresis) and for <c>KeepFiringFor</c> after; firing rules inhibit the notifications of the rules they
/// name; silences suppress notifications. State changes go to the history, firing/resolved to the sinks, and firing
/// starts the rule's recovery actions.
/// </summary>
internal sealed partial class AlertEngine : IAlertManager
{
    private readonly IMetricsMonitor _monitor;
    private readonly TimeProvider _time;
    private readonly AlertDispatcher _dispatcher;
    private readonly RecoveryRunner _recovery;
    private readonly int _historyLimit;
    private readonly Lock _gate = new();
    private readonly List<RuleState> _rules = [];
    private readonly LinkedList<AlertHistoryEntry> _history = new();
    private readonly List<AlertSilence> _silences = [];

    public AlertEngine(IMetricsMonitor monitor, IOptions<MonitoringOptions> options, TimeProvider time, AlertDispatcher dispatcher, RecoveryRunner recovery, IMeterFactory meterFactory)
    {
        _monitor = monitor;
        _time = time;
        _dispatcher = dispatcher;
        _recovery = recovery;
        var value = options.Value;
        _historyLimit = value.HistoryLimit;
        var rules = value.IncludeBuiltInRules ? BuiltInRules.Create() : [];
        foreach (var rule in value.Rules)
        {
            rules.RemoveAll(r => r.Name == rule.Name);
            rules.Add(rule);
        }

        foreach (var rule in rules)
        {
            if (rule.Enabled)
            {
                _rules.Add(new RuleState(rule));
            }
        }

        var meter = meterFactory.Create(EventKitDiagnostics.Monitoring);
        meter.CreateObservableGauge("eventkit.monitoring.alerts.firing", CountFiring, "{alert}", "Alerts firing now.");
    }

    /// <summary>Evaluates every rule once (the service calls it after each closed second; tests call it with a fake clock).</summary>
    public void Evaluate()
    {
        var now = _time.GetUtcNow();
        List<(RuleState Rule, bool Firing)>? notify = null;
        List<RuleState>? fired = null;
        lock (_gate)
        {
            foreach (var rule in _rules)
            {
                var before = rule.State;
                Step(rule, now);
                if (rule.State == before)
                {
                    continue;
                }

                Record(new AlertHistoryEntry(now, rule.Rule.Name, before, rule.State, rule.Value, rule.Rule.Severity));
                if (rule.State == AlertState.Firing)
                {
                    (notify ??= []).Add((rule, true));
                    (fired ??= []).Add(rule);
                }
                else if (rule.State == AlertState.Resolved)
                {
                    (notify ??= []).Add((rule, false));
                }
            }

            UpdateInhibitions();
            foreach (var (rule, firing) in notify ?? [])
            {
                if (!rule.Inhibited && !Silenced(rule, now))
                {
                    _dispatcher.Publish(Notification(rule, firing, now));
                }
            }
        }

        foreach (var rule in fired ?? [])
        {
            _recovery.OnFiring(rule.Rule, new RecoveryContext(rule.Rule.Name, rule.Value, rule.Rule.Threshold, rule.Rule.Severity, now), this);
        }
    }

    /// <summary>Raises an alert that fires while <paramref name="parentRule"/> fires (a recovery action saying it could not act).</summary>
    public void Raise(string name, string summary, AlertSeverity severity, string parentRule)
    {
        lock (_gate)
        {
            if (_rules.Exists(r => r.Rule.Name == name))
            {
                return;
            }

            _rules.Add(new RuleState(new AlertRuleOptions { Name = name, Summary = summary, Severity = severity }, parentRule));
        }
    }

    private void Step(RuleState state, DateTimeOffset now)
    {
        var rule = state.Rule;
        bool active;
        if (state.Parent is { } parent)
        {
            state.Value = null;
            active = _rules.Find(r => r.Rule.Name == parent) is { State: AlertState.Firing };
        }
        else
        {
            state.Value = Compute(rule);
            var threshold = state.State == AlertState.Firing && rule.ResolveThreshold is { } resolve ? resolve : rule.Threshold;
            active = state.Value is { } value && (rule.Comparison == AlertComparison.Above ? value > threshold : value < threshold);
        }

        switch (state.State)
        {
            case AlertState.Pending when !active:
                state.State = AlertState.Inactive;
                state.ActiveSince = null;
                break;
            case AlertState.Pending when now - state.ActiveSince >= rule.For:
                Fire(state, now);
                break;
            case AlertState.Firing when active:
                state.LastActive = now;
                break;
            case AlertState.Firing when now - state.LastActive >= rule.KeepFiringFor:
                state.State = AlertState.Resolved;
                state.ActiveSince = null;
                state.FiringSince = null;
                break;
            case AlertState.Inactive or AlertState.Resolved when active:
                state.ActiveSince = now;
                if (rule.For <= TimeSpan.Zero)
                {
                    Fire(state, now);
                }
                else
                {
                    state.State = AlertState.Pending;
                }

                break;
        }
    }

    private static void Fire(RuleState state, DateTimeOffset now)
    {
        state.State = AlertState.Firing;
        state.FiringSince = now;
        state.LastActive = now;
    }

    private double? Compute(AlertRuleOptions rule)
    {
        var tags = rule.Tags.Count == 0 ? null : rule.Tags;
        switch (rule.Expression)
        {
            case AlertExpression.Rate:
                return _monitor.GetStatistics(rule.Instrument, tags, rule.Window)?.RatePerSecond;
            case AlertExpression.Increase:
                return _monitor.GetStatistics(rule.Instrument, tags, rule.Window)?.Total;
            case AlertExpression.Ratio:
                var denominator = _monitor.GetStatistics(rule.Instrument, tags, rule.Window);
                if (denominator is null || denominator.Total <= 0 || denominator.Total < rule.MinimumCount)
                {
                    return null;
                }

                var numerator = _monitor.GetStatistics(rule.Instrument, rule.NumeratorTags.Count == 0 ? null : rule.NumeratorTags, rule.Window);
                return (numerator?.Total ?? 0) / denominator.Total;
            case AlertExpression.Quantile:
            case AlertExpression.Mean:
                var statistics = _monitor.GetStatistics(rule.Instrument, tags, rule.Window);
                if (statistics is null || statistics.Total < Math.Max(1, rule.MinimumCount))
                {
                    return null;
                }

                return rule.Expression == AlertExpression.Mean ? statistics.Average : _monitor.GetQuantile(rule.Instrument, tags, rule.Window, rule.Quantile);
            case AlertExpression.GaugeMin:
                return _monitor.GetStatistics(rule.Instrument, tags, rule.Window)?.Min;
            default:
                return _monitor.GetStatistics(rule.Instrument, tags, rule.Window)?.Max;
        }
    }

    private void UpdateInhibitions()
    {
        foreach (var rule in _rules)
        {
            rule.Inhibited = false;
        }

        foreach (var source in _rules)
        {
            if (source.State != AlertState.Firing)
            {
                continue;
            }

            foreach (var name in source.Rule.Inhibits)
            {
                if (_rules.Find(r => r.Rule.Name == name) is { } target && !ReferenceEquals(target, source))
                {
                    target.Inhibited = true;
                }
            }
        }
    }

    private void Record(AlertHistoryEntry entry)
    {
        _history.AddFirst(entry);
        while (_history.Count > _historyLimit)
        {
            _history.RemoveLast();
        }
    }

    private static AlertNotification Notification(RuleState rule, bool firing, DateTimeOffset now) => new(
        rule.Rule.Name,
        firing,
        rule.Rule.Severity,
        rule.Rule.Summary,
        rule.Value,
        rule.Rule.Threshold,
        rule.Labels,
        firing ? now : rule.LastActive,
        firing ? null : now);

    private IEnumerable<Measurement<int>> CountFiring()
    {
        var firing = 0;
        lock (_gate)
        {
            foreach (var rule in _rules)
            {
                if (rule.State == AlertState.Firing)
                {
                    firing++;
                }
            }
        }

        yield return new Measurement<int>(firing);
    }
}
