using System.Diagnostics;
using System.Diagnostics.Metrics;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace EventKit.Storage.Internal;

/// <summary>Times every named query on the <c>EventKit.Storage</c> meter and logs slow ones by name.</summary>
internal sealed class StorageTelemetry
{
    public const string DurationInstrument = "db.client.operation.duration";
    public const string QueryNameTag = "db.query.name";

    private readonly Histogram<double> _duration;
    private readonly Counter<long> _slowQueries;
    private readonly ILogger _logger;
    private readonly double _slowSeconds;

    public StorageTelemetry(IMeterFactory meterFactory, IOptions<PostgresStorageOptions> options, ILogger<StorageTelemetry> logger)
    {
        Meter = meterFactory.Create(EventKitDiagnostics.Storage);
        _duration = Meter.CreateHistogram<double>(
            DurationInstrument,
            unit: "s",
            description: "Duration of EventKit's named database operations.",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10] });
        _slowQueries = Meter.CreateCounter<long>("eventkit.storage.slow_queries", "{query}", "Named queries slower than SlowQueryThreshold.");
        _logger = logger;
        _slowSeconds = options.Value.SlowQueryThreshold.TotalSeconds;
        Meter.CreateObservableGauge(PartitionsAheadInstrument, ObservePartitionsAhead, "{partition}", "Partition periods after the current one that attendance_records has, as partition maintenance last saw them (0: next quarter's is missing).");
    }

    public const string PartitionsAheadInstrument = "eventkit.storage.partitions.ahead";

    private int _partitionsAhead = -1;

    /// <summary>Periods after the current one covered by partitions, as maintenance last saw them; -1 before it looked (nothing is reported).</summary>
    public int PartitionsAhead
    {
        get => Volatile.Read(ref _partitionsAhead);
        set => Volatile.Write(ref _partitionsAhead, value);
    }

    public Meter Meter { get; }

    private IEnumerable<Measurement<int>> ObservePartitionsAhead()
    {
        var ahead = PartitionsAhead;
        return ahead < 0 ? [] : [new Measurement<int>(ahead)];
    }

    /// <summary>Runs <paramref name="body"/> as the query <paramref name="name"/>: timed, tagged with its outcome, logged if slow.</summary>
    /// <remarks>One closure per query; negligible next to a network round trip.</remarks>
    public async Task<T> TimeAsync<T>(string name, Func<CancellationToken, Task<T>> body, CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        try
        {
            var result = await body(cancellationToken).ConfigureAwait(false);
            Record(name, started, null);
            return result;
        }
        catch (Exception e)
        {
            Record(name, started, e);
            throw;
        }
    }

    /// <summary>Records one finished operation (for callers that time a transaction themselves).</summary>
    public void Record(string name, long startedTimestamp, Exception? error)
    {
        var seconds = Stopwatch.GetElapsedTime(startedTimestamp).TotalSeconds;
        var tags = new TagList { { QueryNameTag, name } };
        if (error is not null)
        {
            tags.Add("error.type", error is Npgsql.PostgresException pg ? pg.SqlState : error.GetType().Name);
        }

        _duration.Record(seconds, tags);
        if (seconds >= _slowSeconds)
        {
            _slowQueries.Add(1, new KeyValuePair<string, object?>(QueryNameTag, name));
            Log.SlowQuery(_logger, name, seconds * 1000, _slowSeconds * 1000);
        }
    }
}
