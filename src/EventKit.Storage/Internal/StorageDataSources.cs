using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;

namespace EventKit.Storage.Internal;

/// <summary>The write (primary) and read (replica or standby-preferring) data sources, built once from the options.</summary>
internal sealed class StorageDataSources : IAsyncDisposable
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
        var given = new NpgsqlConnectionStringBuilder(connectionString);
        var csb = new NpgsqlConnectionStringBuilder(connectionString);
        SetUnlessGiven(given, csb, "Minimum Pool Size", options.MinPoolSize);
        SetUnlessGiven(given, csb, "Maximum Pool Size", options.MaxPoolSize);
        SetUnlessGiven(given, csb, "Connection Idle Lifetime", Seconds(options.ConnectionIdleLifetime));
        SetUnlessGiven(given, csb, "Timeout", Seconds(options.ConnectTimeout));
        SetUnlessGiven(given, csb, "Keepalive", (int)options.KeepAlive.TotalSeconds);
        SetUnlessGiven(given, csb, "Command Timeout", Seconds(options.CommandTimeout));
        if (!given.ContainsKey("Application Name"))
        {
            csb.ApplicationName = "EventKit";
        }

        var builder = new NpgsqlDataSourceBuilder(csb.ConnectionString);
        if (loggerFactory is not null)
        {
            builder.UseLoggerFactory(loggerFactory);
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

    private static bool IsMultiHost(string connectionString)
        => new NpgsqlConnectionStringBuilder(connectionString).Host?.Contains(',', StringComparison.Ordinal) == true;

    private static int Seconds(TimeSpan value) => Math.Max(1, (int)Math.Ceiling(value.TotalSeconds));

    private static void SetUnlessGiven(NpgsqlConnectionStringBuilder given, NpgsqlConnectionStringBuilder target, string key, int value)
    {
        if (!given.ContainsKey(key))
        {
            target[key] = value;
        }
    }

    private NpgsqlDataSource Own(NpgsqlDataSource source)
    {
        _owned.Add(source);
        return source;
    }
}
