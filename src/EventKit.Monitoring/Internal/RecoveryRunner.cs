using System.Diagnostics.Metrics;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace EventKit.Monitoring.Internal;

/// <summary>
/// Decides whether a rule's recovery actions run when it starts firing, runs them off the evaluation thread, and
/// audits every decision. An action cannot loop on its own effect: it runs only on the transition into firing (a rule
/// kept firing by the action's side effects never re-runs it), never within the cooldown of its last run for that
/// rule, and at most <see cref="RecoveryOptions.MaxPerHour"/> times an hour however often the rule flaps.
/// </summary>
internal sealed class RecoveryRunner
{
    private readonly Dictionary<string, IRecoveryAction> _actions = new(StringComparer.Ordinal);
    private readonly RecoveryOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly Lock _gate = new();
    private readonly Dictionary<(string Action, string Rule), Queue<DateTimeOffset>> _runs = [];
    private readonly LinkedList<RecoveryAuditEntry> _audit = new();
    private readonly Counter<long> _decisions;
    private readonly CancellationTokenSource _stopping = new();

    public RecoveryRunner(IEnumerable<IRecoveryAction> actions, IOptions<MonitoringOptions> options, TimeProvider time, IMeterFactory meterFactory, ILogger<RecoveryRunner> logger)
    {
        foreach (var action in actions)
        {
            _actions[action.Name] = action;
        }

        _options = options.Value.Recovery;
        _time = time;
        _logger = logger;
        _decisions = meterFactory.Create(EventKitDiagnostics.Monitoring).CreateCounter<long>("eventkit.monitoring.recovery.actions", "{action}", "Recovery decisions by action and outcome.");
    }

    public IReadOnlyList<RecoveryAuditEntry> GetAudit()
    {
        lock (_gate)
        {
            return [.. _audit];
        }
    }

    public void OnFiring(AlertRuleOptions rule, RecoveryContext context, AlertEngine engine)
    {
        foreach (var name in rule.Actions)
        {
            Decide(name, context, engine);
        }
    }

    public void Stop() => _stopping.Cancel();

    private void Decide(string name, RecoveryContext context, AlertEngine engine)
    {
        var now = _time.GetUtcNow();
        LinkedListNode<RecoveryAuditEntry> node;
        IRecoveryAction? action;
        lock (_gate)
        {
            if (!_actions.TryGetValue(name, out action))
            {
                Audit(new RecoveryAuditEntry(now, name, context.RuleName, context.Value, RecoveryOutcome.Unknown, "No recovery action of this name is registered."));
                return;
            }

            if (!_runs.TryGetValue((name, context.RuleName), out var runs))
            {
                _runs[(name, context.RuleName)] = runs = new Queue<DateTimeOffset>();
            }

            while (runs.Count > 0 && now - runs.Peek() >= TimeSpan.FromHours(1))
            {
                runs.Dequeue();
            }

            if (runs.Count > 0 && now - runs.Last() < _options.Cooldown)
            {
                Audit(new RecoveryAuditEntry(now, name, context.RuleName, context.Value, RecoveryOutcome.Cooldown, $"Last run {runs.Last():O}; cooldown {_options.Cooldown}."));
                return;
            }

            if (runs.Count >= _options.MaxPerHour)
            {
                Audit(new RecoveryAuditEntry(now, name, context.RuleName, context.Value, RecoveryOutcome.RateLimited, $"{runs.Count} runs in the last hour (maximum {_options.MaxPerHour})."));
                return;
            }

            runs.Enqueue(now);
            if (_options.DryRun)
            {
                Audit(new RecoveryAuditEntry(now, name, context.RuleName, context.Value, RecoveryOutcome.DryRun, "Dry run: the action would have run now."));
                return;
            }

            node = Audit(new RecoveryAuditEntry(now, name, context.RuleName, context.Value, RecoveryOutcome.Running, "Started."));
        }

        _ = RunAsync(action, context, engine, node);
    }

    private async Task RunAsync(IRecoveryAction action, RecoveryContext context, AlertEngine engine, LinkedListNode<RecoveryAuditEntry> node)
    {
        RecoveryResult result;
        try
        {
            result = await action.ExecuteAsync(context, _stopping.Token).ConfigureAwait(false);
        }
#pragma warning disable CA1031 // An action's failure is audited, never allowed to end monitoring.
        catch (Exception e)
#pragma warning restore CA1031
        {
            Log.RecoveryActionFailed(_logger, action.Name, context.RuleName, e);
            result = new RecoveryResult(false, $"Threw {e.GetType().Name}: {e.Message}");
        }

        if (!result.Succeeded && action.Name == RecoveryActionNames.ScaleOut)
        {
            engine.Raise(BuiltInRules.ScaleOutUnavailable, "Scale-out was needed but could not be requested: " + result.Detail, AlertSeverity.Critical, context.RuleName);
        }

        lock (_gate)
        {
            var outcome = result.Succeeded ? RecoveryOutcome.Succeeded : RecoveryOutcome.Failed;
            node.Value = node.Value with { Outcome = outcome, Detail = result.Detail };
            _decisions.Add(1, new("action", action.Name), new("outcome", outcome.ToString().ToLowerInvariant()));
        }

        Log.RecoveryActionRan(_logger, action.Name, context.RuleName, result.Succeeded, result.Detail);
    }

    private LinkedListNode<RecoveryAuditEntry> Audit(RecoveryAuditEntry entry)
    {
        if (entry.Outcome != RecoveryOutcome.Running)
        {
            _decisions.Add(1, new("action", entry.Action), new("outcome", entry.Outcome.ToString().ToLowerInvariant()));
        }

        var node = _audit.AddFirst(entry);
        while (_audit.Count > _options.AuditLimit)
        {
            _audit.RemoveLast();
        }

        return node;
    }
}
