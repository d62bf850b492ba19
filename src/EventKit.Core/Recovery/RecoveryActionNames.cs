namespace EventKit.Monitoring;

/// <summary>
/// The names of the built-in recovery actions, for <c>AlertRuleOptions.Actions</c>. Each is registered by the package
/// that owns what it acts on; a rule naming one whose package is absent audits it as unknown.
/// </summary>
public static class RecoveryActionNames
{
    /// <summary>EventKit.Monitoring: asks an <c>IScaleExecutor</c> for more nodes; without one, raises the <c>scale_out_unavailable</c> alert instead.</summary>
    public const string ScaleOut = "scale_out";

    /// <summary>EventKit.Monitoring: fails readiness so the balancer stops sending, lets in-flight requests finish, then stops the host for the orchestrator to restart. Off unless <c>Recovery:AllowGracefulRestart</c>.</summary>
    public const string GracefulRestart = "graceful_restart";

    /// <summary>EventKit.Monitoring: asks every suggestion source now (the query analyzer included) and raises what they find: "slow-query count &gt; 10 → run the analyzer now".</summary>
    public const string AnalyzeQueries = "analyze_queries";

    /// <summary>EventKit.Monitoring: asks the registered <c>ILoadShedder</c> (the ingress's check-in limiter) to answer 429/503 with <c>Retry-After</c> until the backlog is back under its bound.</summary>
    public const string ShedLoad = "shed_load";

    /// <summary>EventKit.Caching: runs every cache warmer now (critical keys back into L1 and Redis after data loss or a low hit ratio).</summary>
    public const string RewarmCaches = "rewarm_caches";

    /// <summary>EventKit.Caching: removes a quarter of L1's entries, least recently used first, to give memory back.</summary>
    public const string CompactL1 = "compact_l1";

    /// <summary>EventKit.Caching: probes Redis with <c>PING</c> and, when it answers, closes the cache's L2 circuit at once instead of waiting out the break.</summary>
    public const string ResetRedisCircuit = "reset_redis_circuit";

    /// <summary>EventKit.Storage: clears the idle connections of the Npgsql pools (after a failover or restart they point at a dead server).</summary>
    public const string ClearDatabasePool = "clear_db_pool";

    /// <summary>EventKit.Storage: runs partition maintenance now (creates the missing partitions ahead, one node at a time under its advisory lock).</summary>
    public const string RunPartitionMaintenance = "run_partition_maintenance";
}
