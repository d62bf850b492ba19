using EventKit.Internal;
using Microsoft.Extensions.Options;

namespace EventKit.Scaling.Internal;

internal sealed class ScalingOptionsValidator : IValidateOptions<ScalingOptions>
{
    public ValidateOptionsResult Validate(string? name, ScalingOptions options)
    {
        var failures = new List<string>();
        const string S = "EventKit:Scaling:";
        if (string.IsNullOrEmpty(options.KeyPrefix))
        {
            failures.Add(S + "KeyPrefix must not be empty.");
        }

        if (options.AdvertisedUrl is { } url && !Uri.TryCreate(url, UriKind.Absolute, out _))
        {
            failures.Add(S + "AdvertisedUrl must be an absolute URL (was '" + url + "').");
        }

        if (options.NodeId is { } id && (id.Length == 0 || id.Length > 200 || id.Contains('|', StringComparison.Ordinal)))
        {
            failures.Add(S + "NodeId must be 1 to 200 characters without '|'.");
        }

        OptionRange.Check(failures, S + "HeartbeatInterval", options.HeartbeatInterval, TimeSpan.FromMilliseconds(100), TimeSpan.FromMinutes(1));
        OptionRange.Check(failures, S + "LeaseDuration", options.LeaseDuration, TimeSpan.FromMilliseconds(500), TimeSpan.FromMinutes(5));
        OptionRange.Check(failures, S + "GateLeaseDuration", options.GateLeaseDuration, TimeSpan.FromSeconds(1), TimeSpan.FromMinutes(10));
        if (options.GateLeaseSafetyMargin < TimeSpan.Zero || options.GateLeaseSafetyMargin >= options.GateLeaseDuration)
        {
            failures.Add(S + "GateLeaseSafetyMargin must be at least 0 and less than GateLeaseDuration.");
        }

        OptionRange.Check(failures, S + "MinReplicas", options.MinReplicas, 1, 1000);
        OptionRange.Check(failures, S + "MaxReplicas", options.MaxReplicas, Math.Max(1, options.MinReplicas), 1000);
        OptionRange.Check(failures, S + "Tolerance", options.Tolerance, 0, 0.9);
        OptionRange.Check(failures, S + "TargetCpuUtilization", options.TargetCpuUtilization, 0, 1);
        OptionRange.Check(failures, S + "TargetP95Milliseconds", options.TargetP95Milliseconds, 0, 600_000);
        OptionRange.Check(failures, S + "TargetInFlightPerNode", options.TargetInFlightPerNode, 0, 1_000_000);
        OptionRange.Check(failures, S + "TargetWriterBacklogPerNode", options.TargetWriterBacklogPerNode, 0, 10_000_000);
        OptionRange.Check(failures, S + "EvaluationInterval", options.EvaluationInterval, TimeSpan.FromMilliseconds(100), TimeSpan.FromMinutes(10));
        OptionRange.Check(failures, S + "ScaleUpPeriod", options.ScaleUpPeriod, TimeSpan.FromSeconds(1), TimeSpan.FromHours(1));
        OptionRange.Check(failures, S + "ScaleUpFactor", options.ScaleUpFactor, 1, 10);
        OptionRange.Check(failures, S + "ScaleDownPeriod", options.ScaleDownPeriod, TimeSpan.FromSeconds(1), TimeSpan.FromHours(1));
        OptionRange.Check(failures, S + "ScaleDownFactor", options.ScaleDownFactor, 0.1, 1);
        OptionRange.Check(failures, S + "ScaleDownStabilizationWindow", options.ScaleDownStabilizationWindow, TimeSpan.Zero, TimeSpan.FromHours(1));
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
