namespace EventKit.Monitoring;

/// <summary>What an action did.</summary>
/// <param name="Succeeded">Whether it did what it is for.</param>
/// <param name="Detail">What happened, for the audit ("requested 3 replicas", "no IScaleExecutor registered").</param>
public sealed record RecoveryResult(bool Succeeded, string Detail);
