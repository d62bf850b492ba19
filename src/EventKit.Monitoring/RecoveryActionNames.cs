namespace EventKit.Monitoring;

/// <summary>The names of the built-in recovery actions, for <see cref="AlertRuleOptions.Actions"/>.</summary>
public static class RecoveryActionNames
{
    /// <summary>Asks an <see cref="IScaleExecutor"/> for more nodes; without one, raises the <c>scale_out_unavailable</c> alert instead.</summary>
    public const string ScaleOut = "scale_out";

    /// <summary>Fails readiness so the balancer stops sending, lets in-flight requests finish, then stops the host for the orchestrator to restart. Off unless <see cref="RecoveryOptions.AllowGracefulRestart"/>.</summary>
    public const string GracefulRestart = "graceful_restart";

    /// <summary>Asks every <see cref="ISuggestionSource"/> now (the query analyzer included) and raises what they find as suggestions: "slow-query count &gt; 10 → run the analyzer now".</summary>
    public const string AnalyzeQueries = "analyze_queries";
}
