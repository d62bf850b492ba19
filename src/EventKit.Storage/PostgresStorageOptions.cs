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
