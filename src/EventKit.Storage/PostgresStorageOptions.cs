using Npgsql;

namespace EventKit.Storage;

/// <summary>Options of EventKit.Storage. Configure with <c>.AddPostgresStorage(o =&gt; ...)</c>.</summary>
public sealed class PostgresStorageOptions
{
    /// <summary>The configuration section the sample host binds: <c>EventKit:Storage</c>.</summary>
    public const string SectionName = "EventKit:Storage";

    /// <summary>The primary's connection string. A comma-separated <c>Host</c> list makes a multi-host data source: writes go to the primary, reads prefer a standby.</summary>
    /// <remarks>Default <see langword="null"/>. Required unless <see cref="DataSource"/> is set.</remarks>
    public string? ConnectionString { get; set; }

    /// <summary>A data source the host built itself (its own logging, auth, plugins). EventKit uses it for writes and does not dispose it.</summary>
    /// <remarks>Default <see langword="null"/>. Takes precedence over <see cref="ConnectionString"/>; the pool settings below are then the host's business.</remarks>
    public NpgsqlDataSource? DataSource { get; set; }

    /// <summary>
    /// Whether an <see cref="NpgsqlDataSource"/> registered in the service collection (for example by Npgsql's
    /// <c>AddNpgsqlDataSource</c> or .NET Aspire) is used when neither <see cref="DataSource"/> nor
    /// <see cref="ConnectionString"/> is set. EventKit never disposes it.
    /// </summary>
    /// <remarks>Default <see langword="true"/>: one data source per application.</remarks>
    public bool UseRegisteredDataSource { get; set; } = true;

    /// <summary>A replica's connection string for reads that tolerate staleness.</summary>
    /// <remarks>Default <see langword="null"/>: reads use the primary (or a standby of a multi-host <see cref="ConnectionString"/>).</remarks>
    public string? ReadConnectionString { get; set; }

    /// <summary>Connections kept open in each pool.</summary>
    /// <remarks>Default 10. 0 to <see cref="MaxPoolSize"/>.</remarks>
    public int MinPoolSize { get; set; } = 10;

    /// <summary>The most connections each pool opens.</summary>
    /// <remarks>Default 100. 1 to 1000.</remarks>
    public int MaxPoolSize { get; set; } = 100;

    /// <summary>How long an idle pooled connection stays open (above <see cref="MinPoolSize"/>).</summary>
    /// <remarks>Default 30 s. 1 s to 1 h.</remarks>
    public TimeSpan ConnectionIdleLifetime { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How long opening a connection may take.</summary>
    /// <remarks>Default 2 s. 1 s to 60 s (PostgreSQL counts whole seconds).</remarks>
    public TimeSpan ConnectTimeout { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>TCP keep-alive probe interval, so dead peers (failover, NAT) are noticed.</summary>
    /// <remarks>Default 30 s. 0 (off) to 1 h.</remarks>
    public TimeSpan KeepAlive { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How long one command may run.</summary>
    /// <remarks>Default 30 s. 1 s to 1 h.</remarks>
    public TimeSpan CommandTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How many statements each connection prepares automatically once they have run twice (Npgsql auto-prepare), saving parse and plan time on every repeat.</summary>
    /// <remarks>Default 32. 0 (off: needed behind PgBouncer in transaction mode before 1.21) to 1000.</remarks>
    public int MaxAutoPrepare { get; set; } = 32;

    /// <summary>Queries taking at least this long are logged (by name, never with parameter values).</summary>
    /// <remarks>Default 1 s. 1 ms to 10 min.</remarks>
    public TimeSpan SlowQueryThreshold { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Whether pending schema migrations are applied when the host starts (under an advisory lock, so nodes may start together).</summary>
    /// <remarks>Default <see langword="true"/>. When off, apply them with <see cref="PostgresStorageMigrations.ApplyAsync"/>.</remarks>
    public bool ApplyMigrationsOnStart { get; set; } = true;

    /// <summary>Whether Npgsql's statement-level logs (every command, COPY and transaction, at Information and Debug) reach the app's loggers.</summary>
    /// <remarks>
    /// Default <see langword="false"/>: only their warnings and errors do, so an app at the template's default level
    /// (Information) does not log every SQL statement. Set <c>EventKit:Storage:LogSql</c> to see them. Applies to data
    /// sources EventKit builds, not to an <see cref="DataSource"/> the app supplies.
    /// </remarks>
    public bool LogSql { get; set; }

    /// <summary>The group-commit attendance writer.</summary>
    public AttendanceWriterOptions Writer { get; } = new();

    /// <summary>Partition maintenance and scheduled VACUUM/ANALYZE.</summary>
    public StorageMaintenanceOptions Maintenance { get; } = new();

    /// <summary>The query analyzer.</summary>
    public QueryAnalyzerOptions Analyzer { get; } = new();
}

/// <summary>Options of the group-commit attendance writer.</summary>
public sealed class AttendanceWriterOptions
{
    /// <summary>How many appends (single records or chunks of a many-append) may wait; further callers wait for room (backpressure).</summary>
    /// <remarks>Default 20,000. 1 to 1,000,000.</remarks>
    public int QueueCapacity { get; set; } = 20_000;

    /// <summary>The most records one COPY (one transaction) carries.</summary>
    /// <remarks>Default 2,000. 1 to 100,000.</remarks>
    public int MaxBatchSize { get; set; } = 2_000;

    /// <summary>How long a batch that is not full waits for more records before it is written.</summary>
    /// <remarks>Default 2 ms. 0 (write whatever is queued at once) to 1 s. Adds at most this much to an append's latency.</remarks>
    public TimeSpan MaxBatchDelay { get; set; } = TimeSpan.FromMilliseconds(2);

    /// <summary>How many batches are written at once, each on its own connection.</summary>
    /// <remarks>Default 2. 1 to 32.</remarks>
    public int Concurrency { get; set; } = 2;

    /// <summary>How often a batch that failed transiently (connection lost, failover) is retried before its callers get <see cref="EventKitUnavailableException"/>.</summary>
    /// <remarks>Default 6. 0 to 100.</remarks>
    public int MaxRetries { get; set; } = 6;

    /// <summary>The first retry's delay; each further retry doubles it (with jitter), up to 5 s.</summary>
    /// <remarks>Default 50 ms. 1 ms to 10 s.</remarks>
    public TimeSpan RetryBaseDelay { get; set; } = TimeSpan.FromMilliseconds(50);
}

/// <summary>Options of partition maintenance and scheduled VACUUM/ANALYZE.</summary>
public sealed class StorageMaintenanceOptions
{
    /// <summary>Whether the maintenance hosted service runs on this node (it takes an advisory lock, so one node at a time does the work).</summary>
    /// <remarks>Default <see langword="true"/>.</remarks>
    public bool Enabled { get; set; } = true;

    /// <summary>The months each <c>attendance_records</c> partition spans: 3 is one partition per quarter.</summary>
    /// <remarks>Default 3. One of 1, 2, 3, 4, 6, 12 (partitions align with the calendar year). Changing it later leaves existing partitions as they are.</remarks>
    public int PartitionMonths { get; set; } = 3;

    /// <summary>How many partitions after the current one are kept created.</summary>
    /// <remarks>Default 4. 1 to 40.</remarks>
    public int PartitionsAhead { get; set; } = 4;

    /// <summary>Partitions that ended longer ago than this are detached. <see langword="null"/> keeps everything.</summary>
    /// <remarks>Default <see langword="null"/>. At least 1 day.</remarks>
    public TimeSpan? Retention { get; set; }

    /// <summary>Whether detached partitions are dropped (otherwise they stay as plain tables for archiving).</summary>
    /// <remarks>Default <see langword="false"/>.</remarks>
    public bool DropDetachedPartitions { get; set; }

    /// <summary>How often partitions are checked.</summary>
    /// <remarks>Default 1 h. 1 min to 7 days.</remarks>
    public TimeSpan Interval { get; set; } = TimeSpan.FromHours(1);

    /// <summary>How often EventKit's tables get <c>VACUUM (ANALYZE)</c>. <see cref="TimeSpan.Zero"/> leaves it to autovacuum.</summary>
    /// <remarks>Default 6 h. 0 or 1 min to 7 days.</remarks>
    public TimeSpan VacuumInterval { get; set; } = TimeSpan.FromHours(6);

    /// <summary>The <c>lock_timeout</c> of maintenance statements, so they never queue ingestion behind them for long.</summary>
    /// <remarks>Default 2 s. 10 ms to 1 min.</remarks>
    public TimeSpan LockTimeout { get; set; } = TimeSpan.FromSeconds(2);
}

/// <summary>Options of <see cref="QueryAnalyzer"/>.</summary>
public sealed class QueryAnalyzerOptions
{
    /// <summary>The <c>statement_timeout</c> of each analysed query (EXPLAIN ANALYZE runs it).</summary>
    /// <remarks>Default 10 s. 100 ms to 10 min.</remarks>
    public TimeSpan StatementTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary><c>pg_stat_statements</c> entries with at least this mean time are reported as slow.</summary>
    /// <remarks>Default 20 ms. 0 to 1 h.</remarks>
    public TimeSpan SlowMeanTime { get; set; } = TimeSpan.FromMilliseconds(20);

    /// <summary><c>pg_stat_statements</c> entries with fewer calls than this are not reported.</summary>
    /// <remarks>Default 100. 1 to 1,000,000,000.</remarks>
    public long SlowMinCalls { get; set; } = 100;

    /// <summary>A sequential scan of a relation with at least this many rows is flagged.</summary>
    /// <remarks>Default 10,000. 0 to 1,000,000,000.</remarks>
    public long LargeRelationRows { get; set; } = 10_000;
}
