using EventKit.Internal;
using Microsoft.Extensions.Options;

namespace EventKit.Storage.Internal;

/// <summary>Validates <see cref="PostgresStorageOptions"/> at start; every message names the setting and the allowed range.</summary>
internal sealed class PostgresStorageOptionsValidator : IValidateOptions<PostgresStorageOptions>
{
    private const string Prefix = "EventKit:Storage:";

    public ValidateOptionsResult Validate(string? name, PostgresStorageOptions options)
    {
        var f = new List<string>();
        if (options.DataSource is null && string.IsNullOrWhiteSpace(options.ConnectionString))
        {
            f.Add($"{Prefix}ConnectionString is required unless a DataSource is supplied (EventKit:Storage:ConnectionString, ConnectionStrings:eventkit-postgres, EVENTKIT_POSTGRES, options.DataSource, or an NpgsqlDataSource registered in the service collection).");
        }

        OptionRange.Check(f, Prefix + "MaxPoolSize", options.MaxPoolSize, 1, 1000);
        OptionRange.Check(f, Prefix + "MinPoolSize", options.MinPoolSize, 0, Math.Max(0, options.MaxPoolSize));
        OptionRange.Check(f, Prefix + "ConnectionIdleLifetime", options.ConnectionIdleLifetime, TimeSpan.FromSeconds(1), TimeSpan.FromHours(1));
        OptionRange.Check(f, Prefix + "ConnectTimeout", options.ConnectTimeout, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(60));
        OptionRange.Check(f, Prefix + "KeepAlive", options.KeepAlive, TimeSpan.Zero, TimeSpan.FromHours(1));
        OptionRange.Check(f, Prefix + "CommandTimeout", options.CommandTimeout, TimeSpan.FromSeconds(1), TimeSpan.FromHours(1));
        OptionRange.Check(f, Prefix + "MaxAutoPrepare", options.MaxAutoPrepare, 0, 1000);
        OptionRange.Check(f, Prefix + "SlowQueryThreshold", options.SlowQueryThreshold, TimeSpan.FromMilliseconds(1), TimeSpan.FromMinutes(10));

        var w = options.Writer;
        OptionRange.Check(f, Prefix + "Writer:QueueCapacity", w.QueueCapacity, 1, 1_000_000);
        OptionRange.Check(f, Prefix + "Writer:MaxBatchSize", w.MaxBatchSize, 1, 100_000);
        OptionRange.Check(f, Prefix + "Writer:MaxBatchDelay", w.MaxBatchDelay, TimeSpan.Zero, TimeSpan.FromSeconds(1));
        OptionRange.Check(f, Prefix + "Writer:Concurrency", w.Concurrency, 1, 32);
        OptionRange.Check(f, Prefix + "Writer:MaxRetries", w.MaxRetries, 0, 100);
        OptionRange.Check(f, Prefix + "Writer:RetryBaseDelay", w.RetryBaseDelay, TimeSpan.FromMilliseconds(1), TimeSpan.FromSeconds(10));

        var m = options.Maintenance;
        if (m.PartitionMonths is not (1 or 2 or 3 or 4 or 6 or 12))
        {
            f.Add($"{Prefix}Maintenance:PartitionMonths must be one of 1, 2, 3, 4, 6, 12 (was {m.PartitionMonths}).");
        }

        OptionRange.Check(f, Prefix + "Maintenance:PartitionsAhead", m.PartitionsAhead, 1, 40);
        if (m.Retention is { } retention)
        {
            OptionRange.Check(f, Prefix + "Maintenance:Retention", retention, TimeSpan.FromDays(1), TimeSpan.MaxValue);
        }

        OptionRange.Check(f, Prefix + "Maintenance:Interval", m.Interval, TimeSpan.FromMinutes(1), TimeSpan.FromDays(7));
        if (m.VacuumInterval != TimeSpan.Zero)
        {
            OptionRange.Check(f, Prefix + "Maintenance:VacuumInterval", m.VacuumInterval, TimeSpan.FromMinutes(1), TimeSpan.FromDays(7));
        }

        OptionRange.Check(f, Prefix + "Maintenance:LockTimeout", m.LockTimeout, TimeSpan.FromMilliseconds(10), TimeSpan.FromMinutes(1));

        var a = options.Analyzer;
        OptionRange.Check(f, Prefix + "Analyzer:StatementTimeout", a.StatementTimeout, TimeSpan.FromMilliseconds(100), TimeSpan.FromMinutes(10));
        OptionRange.Check(f, Prefix + "Analyzer:SlowMeanTime", a.SlowMeanTime, TimeSpan.Zero, TimeSpan.FromHours(1));
        OptionRange.Check(f, Prefix + "Analyzer:SlowMinCalls", a.SlowMinCalls, 1, 1_000_000_000);
        OptionRange.Check(f, Prefix + "Analyzer:LargeRelationRows", a.LargeRelationRows, 0, 1_000_000_000);

        return f.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(f);
    }
}
