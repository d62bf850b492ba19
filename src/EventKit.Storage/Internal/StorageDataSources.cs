using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;

namespace EventKit.Storage.Internal;

/// <summary>The write (primary) and read (replica or standby-preferring) data sources, built once from the options.</summary>
internal sealed class StorageDataSources : IAsyncDisposable, IDisposable
{
    private readonly List<NpgsqlDataSource> _owned = [];

    public StorageDataSources(IOptions<PostgresStorageOptions> options, ILoggerFactory loggerFactory)
    {
        var o = options.Value;
        if (o.DataSource is not null)
        {
            Write = o.DataSource;
            Read = o.ReadConnectionString is null ? o.DataSource : Own(Build(o, o.ReadConnectionString, loggerFactory).Build());
            return;
        }

        var connectionString = o.ConnectionString ?? throw new InvalidOperationException("EventKit:Storage:ConnectionString is required unless a DataSource is supplied.");
        var builder = Build(o, connectionString, loggerFactory);
        if (IsMultiHost(connectionString))
        {
            // One pool per host; the views route each connection by the server's role.
            var multiHost = builder.BuildMultiHost();
            _owned.Add(multiHost);
            Write = multiHost.WithTargetSession(TargetSessionAttributes.Primary);
            Read = o.ReadConnectionString is null
                ? multiHost.WithTargetSession(TargetSessionAttributes.PreferStandby)
                : Own(Build(o, o.ReadConnectionString, loggerFactory).Build());
            return;
        }

        Write = Own(builder.Build());
        Read = o.ReadConnectionString is null ? Write : Own(Build(o, o.ReadConnectionString, loggerFactory).Build());
    }

    /// <summary>The primary: writes and reads that must see the latest commit.</summary>
    public NpgsqlDataSource Write { get; }

    /// <summary>Reads that tolerate replica lag.</summary>
    public NpgsqlDataSource Read { get; }

    /// <summary>Applies EventKit's pool defaults to a connection string; settings written in the string itself win.</summary>
    internal static NpgsqlDataSourceBuilder Build(PostgresStorageOptions options, string connectionString, ILoggerFactory? loggerFactory)
    {
        // Keys written in the string itself, normalised ("Max Pool Size" and "maxpoolsize" alike).
        var given = new HashSet<string>(StringComparer.Ordinal);
        foreach (string key in new System.Data.Common.DbConnectionStringBuilder { ConnectionString = connectionString }.Keys)
        {
            given.Add(key.Replace(" ", "", StringComparison.Ordinal).ToLowerInvariant());
        }

        var csb = new NpgsqlConnectionStringBuilder(connectionString);
        if (!given.Overlaps(["minimumpoolsize", "minpoolsize"]))
        {
            csb.MinPoolSize = options.MinPoolSize;
        }

        if (!given.Overlaps(["maximumpoolsize", "maxpoolsize"]))
        {
            csb.MaxPoolSize = options.MaxPoolSize;
        }

        if (!given.Contains("connectionidlelifetime"))
        {
            csb.ConnectionIdleLifetime = Seconds(options.ConnectionIdleLifetime);
        }

        if (!given.Overlaps(["timeout", "connecttimeout"]))
        {
            csb.Timeout = Seconds(options.ConnectTimeout);
        }

        if (!given.Contains("keepalive"))
        {
            csb.KeepAlive = (int)options.KeepAlive.TotalSeconds;
        }

        if (!given.Contains("commandtimeout"))
        {
            csb.CommandTimeout = Seconds(options.CommandTimeout);
        }

        if (!given.Contains("maxautoprepare"))
        {
            csb.MaxAutoPrepare = options.MaxAutoPrepare;
            csb.AutoPrepareMinUsages = 2;
        }

        if (!given.Contains("noresetonclose"))
        {
            // Npgsql otherwise prefixes the next statement after every pooled open/close with seven reset
            // statements (RESET ALL, CLOSE ALL, UNLISTEN *, pg_advisory_unlock_all(), DISCARD TEMP, …); on a
            // 0.1 ms read that is more server work than the read. EventKit leaves no session state behind on
            // pooled connections: settings are transaction-local (set_config(…, true), SET LOCAL) or reset
            // explicitly, advisory locks are released in finally blocks.
            csb.NoResetOnClose = true;
        }

        if (!given.Contains("applicationname"))
        {
            csb.ApplicationName = "EventKit";
        }

        var builder = new NpgsqlDataSourceBuilder(csb.ConnectionString);
        if (loggerFactory is not null)
        {
            builder.UseLoggerFactory(options.LogSql ? loggerFactory : new QuietSqlLoggerFactory(loggerFactory));
        }

        return builder;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var source in _owned)
        {
            await source.DisposeAsync().ConfigureAwait(false);
        }
    }

    public void Dispose()
    {
        foreach (var source in _owned)
        {
            source.Dispose();
        }
    }

    private static bool IsMultiHost(string connectionString)
        => new NpgsqlConnectionStringBuilder(connectionString).Host?.Contains(',', StringComparison.Ordinal) == true;

    private static int Seconds(TimeSpan value) => Math.Max(1, (int)Math.Ceiling(value.TotalSeconds));

    private NpgsqlDataSource Own(NpgsqlDataSource source)
    {
        _owned.Add(source);
        return source;
    }
}
