namespace EventKit.Monitoring.Internal;

/// <summary>The rules every EventKit host gets (the seeds' thresholds and what is known to fail). A rule of the same name in options replaces one.</summary>
internal static class BuiltInRules
{
    public const string HttpDuration = "http.server.request.duration";
    public const string PostgresUnreachable = "postgres_unreachable";
    public const string ScaleOutUnavailable = "scale_out_unavailable";
    public const string SlowQueries = "slow_queries";

    public static List<AlertRuleOptions> Create() =>
    [
        new()
        {
            Name = "api_p95_high", Summary = "API p95 response time above 1 s over 5 minutes.",
            Expression = AlertExpression.Quantile, Instrument = HttpDuration, Quantile = 0.95, MinimumCount = 20,
            Window = TimeSpan.FromMinutes(5), Threshold = 1, ResolveThreshold = 0.8, For = TimeSpan.FromMinutes(1),
        },
        new()
        {
            Name = "api_mean_slow", Summary = "Average API response above 2 s: more nodes are needed.",
            Expression = AlertExpression.Mean, Instrument = HttpDuration, MinimumCount = 20,
            Window = TimeSpan.FromMinutes(1), Threshold = 2, ResolveThreshold = 1.5, For = TimeSpan.FromMinutes(1),
            Severity = AlertSeverity.Critical, Actions = [RecoveryActionNames.ScaleOut],
        },
        new()
        {
            Name = "api_error_ratio", Summary = "More than 1 % of API requests answered 5xx over 5 minutes.",
            Expression = AlertExpression.Ratio, Instrument = HttpDuration, NumeratorTags = new() { [InstrumentSeries.StatusClassTag] = "5xx" },
            MinimumCount = 100, Window = TimeSpan.FromMinutes(5), Threshold = 0.01, ResolveThreshold = 0.005, For = TimeSpan.FromMinutes(1),
            Severity = AlertSeverity.Critical,
        },
        new()
        {
            Name = SlowQueries, Summary = "More than 10 slow queries in 5 minutes: the query analyzer runs now.",
            Expression = AlertExpression.Increase, Instrument = "eventkit.storage.slow_queries",
            Window = TimeSpan.FromMinutes(5), Threshold = 10, Severity = AlertSeverity.Critical,
            Actions = [RecoveryActionNames.AnalyzeQueries],
        },
        new()
        {
            Name = "cache_hit_ratio_low", Summary = "Overall cache hit ratio (L1 or L2) below 85 % over 5 minutes.",
            Expression = AlertExpression.Ratio, Instrument = "cache.requests",
            NumeratorTags = new() { ["cache.request.type"] = "hit" }, Tags = new() { ["cache.tier"] = "l1" },
            MinimumCount = 1000, Window = TimeSpan.FromMinutes(5), Comparison = AlertComparison.Below, Threshold = 0.85, ResolveThreshold = 0.9,
            For = TimeSpan.FromMinutes(2), Actions = [RecoveryActionNames.RewarmCaches],
        },
        new()
        {
            Name = "memory_high", Summary = "Memory above 80 % of the limit.",
            Expression = AlertExpression.Gauge, Instrument = "container.memory.limit.utilization",
            Window = TimeSpan.FromSeconds(30), Threshold = 0.8, ResolveThreshold = 0.75, For = TimeSpan.FromMinutes(1),
            Actions = [RecoveryActionNames.CompactL1],
        },
        new()
        {
            Name = "memory_critical", Summary = "Memory above 90 % of the limit: restart gracefully before the OOM killer does.",
            Expression = AlertExpression.Gauge, Instrument = "container.memory.limit.utilization",
            Window = TimeSpan.FromSeconds(30), Threshold = 0.9, For = TimeSpan.FromMinutes(1), Severity = AlertSeverity.Critical,
            Actions = [RecoveryActionNames.GracefulRestart],
        },
        new()
        {
            Name = "cpu_high", Summary = "CPU above 70 % of the limit for 2 minutes.",
            Expression = AlertExpression.Gauge, Instrument = "container.cpu.limit.utilization",
            Window = TimeSpan.FromSeconds(30), Threshold = 0.7, ResolveThreshold = 0.6, For = TimeSpan.FromMinutes(2),
        },
        new()
        {
            Name = "writer_backlog", Summary = "More than 10,000 check-ins wait for the attendance writer.",
            Expression = AlertExpression.GaugeMin, Instrument = "eventkit.storage.writer.queue_depth",
            Window = TimeSpan.FromSeconds(15), Threshold = 10_000, ResolveThreshold = 5_000, For = TimeSpan.FromSeconds(15),
            Severity = AlertSeverity.Critical,
            Actions = [RecoveryActionNames.ShedLoad],
        },
        new()
        {
            Name = "redis_circuit_open", Summary = "Redis is skipped (cache L2 circuit open): claims and L2 run on this node only.",
            Expression = AlertExpression.Gauge, Instrument = "eventkit.cache.l2.circuit.state",
            Window = TimeSpan.FromSeconds(5), Threshold = 0.5, For = TimeSpan.FromSeconds(5), Severity = AlertSeverity.Critical,
            Actions = [RecoveryActionNames.ResetRedisCircuit],
        },
        new()
        {
            Name = "redis_data_loss", Summary = "Redis came back without EventKit's data (restarted empty, failed over, flushed): claims and L2 were lost.",
            Expression = AlertExpression.Increase, Instrument = "eventkit.redis.data_loss",
            Window = TimeSpan.FromMinutes(15), Threshold = 0, Severity = AlertSeverity.Critical,
            Actions = [RecoveryActionNames.RewarmCaches],
        },
        new()
        {
            Name = "redis_unhealthy", Summary = "The Redis health check fails.",
            Expression = AlertExpression.Gauge, Instrument = "eventkit.health.status", Tags = new() { ["check"] = "redis" },
            Window = TimeSpan.FromSeconds(10), Comparison = AlertComparison.Below, Threshold = 1, For = TimeSpan.FromSeconds(10),
            Severity = AlertSeverity.Critical,
        },
        new()
        {
            Name = PostgresUnreachable, Summary = "PostgreSQL does not answer: check-ins are refused with 503.",
            Expression = AlertExpression.Gauge, Instrument = "eventkit.health.status", Tags = new() { ["check"] = "postgresql" },
            Window = TimeSpan.FromSeconds(10), Comparison = AlertComparison.Below, Threshold = 0.5, For = TimeSpan.FromSeconds(10),
            Severity = AlertSeverity.Critical,
            Inhibits = ["api_p95_high", "api_mean_slow", "api_error_ratio", "slow_queries", "writer_backlog"],
            Actions = [RecoveryActionNames.ClearDatabasePool],
        },
        new()
        {
            Name = "partition_missing", Summary = "No attendance_records partition exists for the next quarter: partition maintenance could not create it.",
            Expression = AlertExpression.Gauge, Instrument = "eventkit.storage.partitions.ahead",
            Window = TimeSpan.FromMinutes(1), Comparison = AlertComparison.Below, Threshold = 1,
            Actions = [RecoveryActionNames.RunPartitionMaintenance],
        },
        new()
        {
            Name = "ble_clone_suspicions", Summary = "BLE entries refused as suspected cloned credentials.",
            Expression = AlertExpression.Increase, Instrument = "eventkit.ble.clone_rejections",
            Window = TimeSpan.FromMinutes(5), Threshold = 5,
        },
    ];
}
