using System.Globalization;

namespace EventKit.Scaling.Internal;

/// <summary>
/// Kubernetes HPA's algorithm (autoscaling/v2 behaviour) on EventKit's metrics: per metric
/// desired = ceil(current × value / target) unless within the tolerance; the maximum over metrics; scale-down
/// stabilisation (the highest recommendation within the window wins); rate limits per period measured from the
/// replica count at the start of the period; the min/max clamp. Pure apart from its history; not thread-safe.
/// </summary>
internal sealed class HpaRecommender(ScalingOptions options)
{
    private readonly List<(DateTimeOffset At, int Replicas)> _recommendations = [];
    private readonly List<(DateTimeOffset At, int From, int To)> _changes = [];
    private int? _lastSeen;

    public ScalingRecommendation Evaluate(ScalingInputs inputs, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        var current = Math.Max(0, inputs.CurrentReplicas);

        // The rate limits count the changes actually seen (whoever made them), like HPA counts its own scale events.
        if (_lastSeen is { } last && last != current)
        {
            _changes.Add((now, last, current));
        }

        _lastSeen = current;
        var metrics = new List<ScalingMetricResult>(4)
        {
            Metric("cpu", inputs.CpuUtilization, options.TargetCpuUtilization, current),
            Metric("p95", inputs.P95Milliseconds, options.TargetP95Milliseconds, current),
            Metric("in_flight", inputs.InFlightPerNode, options.TargetInFlightPerNode, current),
            Metric("writer_backlog", inputs.WriterBacklogPerNode, options.TargetWriterBacklogPerNode, current),
        };

        var raw = current;
        var any = false;
        foreach (var metric in metrics)
        {
            if (metric.Target > 0)
            {
                raw = any ? Math.Max(raw, metric.ProposedReplicas) : metric.ProposedReplicas;
                any = true;
            }
        }

        // The clamp comes first for the history, so that a recommendation below the minimum never counts as one.
        var proposal = Math.Clamp(raw, options.MinReplicas, options.MaxReplicas);
        Prune(now);
        _recommendations.Add((now, proposal));

        string reason;
        var desired = proposal;
        if (desired < current)
        {
            var stabilized = 0;
            foreach (var (_, replicas) in _recommendations)
            {
                stabilized = Math.Max(stabilized, replicas);
            }

            if (stabilized > desired)
            {
                desired = Math.Min(stabilized, current);
                reason = Format($"scale-down held by the {options.ScaleDownStabilizationWindow.TotalSeconds:0} s stabilisation window (highest recommendation {stabilized})");
            }
            else
            {
                reason = Format($"scale down to {desired}");
            }

            if (desired < current)
            {
                var periodStart = current + RemovedSince(now - options.ScaleDownPeriod);
                var limit = Math.Min((int)Math.Floor(periodStart * options.ScaleDownFactor), periodStart - 1);
                if (desired < limit)
                {
                    desired = limit;
                    reason = Format($"scale-down limited to {limit} in {options.ScaleDownPeriod.TotalSeconds:0} s (min(×{options.ScaleDownFactor}, −1) of {periodStart})");
                }
            }
        }
        else if (desired > current)
        {
            var periodStart = current - AddedSince(now - options.ScaleUpPeriod);
            var limit = Math.Max((int)Math.Ceiling(periodStart * options.ScaleUpFactor), periodStart + 1);
            reason = Format($"scale up to {desired}");
            if (desired > limit)
            {
                desired = limit;
                reason = Format($"scale-up limited to {limit} in {options.ScaleUpPeriod.TotalSeconds:0} s (max(×{options.ScaleUpFactor}, +1) of {periodStart})");
            }
        }
        else
        {
            reason = raw != proposal ? Format($"held at {proposal} by the min/max clamp ({options.MinReplicas}..{options.MaxReplicas})") : "within tolerance of every target";
        }

        desired = Math.Clamp(desired, options.MinReplicas, options.MaxReplicas);

        return new ScalingRecommendation(now, current, desired, raw, metrics, reason);
    }

    private static string Format(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);

    private ScalingMetricResult Metric(string name, double value, double target, int current)
    {
        if (target <= 0)
        {
            return new ScalingMetricResult(name, value, 0, current, "off (target 0)");
        }

        if (double.IsNaN(value) || value < 0)
        {
            value = 0;
        }

        var ratio = value / target;
        if (Math.Abs(ratio - 1) <= options.Tolerance)
        {
            return new ScalingMetricResult(name, value, target, current, Format($"{value:0.###} is within {options.Tolerance:P0} of the target {target:0.###}"));
        }

        // At least one replica: current × ratio with current = 0 would say 0.
        var proposed = (int)Math.Min(int.MaxValue, Math.Ceiling(Math.Max(1, current) * ratio));
        return new ScalingMetricResult(name, value, target, proposed, Format($"ceil({Math.Max(1, current)} × {value:0.###} / {target:0.###}) = {proposed}"));
    }

    private void Prune(DateTimeOffset now)
    {
        var keep = Math.Max(options.ScaleDownStabilizationWindow.Ticks, Math.Max(options.ScaleUpPeriod.Ticks, options.ScaleDownPeriod.Ticks));
        _recommendations.RemoveAll(r => r.At < now - options.ScaleDownStabilizationWindow);
        _changes.RemoveAll(c => c.At < now - TimeSpan.FromTicks(keep));
    }

    private int AddedSince(DateTimeOffset since)
    {
        var added = 0;
        foreach (var (at, from, to) in _changes)
        {
            if (at > since && to > from)
            {
                added += to - from;
            }
        }

        return added;
    }

    private int RemovedSince(DateTimeOffset since)
    {
        var removed = 0;
        foreach (var (at, from, to) in _changes)
        {
            if (at > since && to < from)
            {
                removed += from - to;
            }
        }

        return removed;
    }
}
