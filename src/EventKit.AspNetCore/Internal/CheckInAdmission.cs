using System.Data.Common;
using System.Diagnostics.Metrics;
using System.Threading.RateLimiting;
using EventKit.Storage;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;

namespace EventKit.AspNetCore.Internal;

/// <summary>
/// Bounds the check-ins this node works on at once (both check-in routes share the bound): a concurrency limiter with a
/// small oldest-first queue, taken before the scanner key, the body or any database or Redis work. A check-in that finds
/// the limit and the queue full is answered 503 with <c>Retry-After</c> at once, so a surge is shed cheaply instead of
/// queueing on the connection pool until timeouts fire.
/// </summary>
internal sealed class CheckInAdmission : IDisposable
{
    public const string ShedInstrument = "eventkit.api.checkins.shed";
    public const string InFlightInstrument = "eventkit.api.checkins.in_flight";
    public const string QueuedInstrument = "eventkit.api.checkins.queued";

    /// <summary>The <c>reason</c> of a check-in refused because the limit and the queue were full.</summary>
    public const string CapacityReason = "capacity";

    /// <summary>The <c>reason</c> of a queued check-in whose caller went away before its turn.</summary>
    public const string AbandonedReason = "abandoned";

    /// <summary>The <c>reason</c> of a check-in answered 503 because storage was unavailable or too slow (a pool wait that timed out, say).</summary>
    public const string StorageReason = "storage_unavailable";

    /// <summary>The in-flight limit when neither the options nor EventKit.Storage say otherwise.</summary>
    internal const int FallbackLimit = 100;

    private static readonly TimeSpan ReportInterval = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan RetryAfterWindow = TimeSpan.FromSeconds(1);

    private readonly ConcurrencyLimiter? _limiter;
    private readonly Counter<long> _shed;
    private readonly ILogger<CheckInAdmission> _logger;
    private readonly TimeProvider _time;
    private long _shedSinceReport;
    private long _lastReport;
    private long _windowStart;
    private long _windowShed;
    private long _windowAdmitted;
    private double _retryAfterSeconds;

    public CheckInAdmission(IOptions<EventKitApiOptions> options, IServiceProvider services, IMeterFactory meters, TimeProvider time, ILogger<CheckInAdmission> logger)
    {
        _logger = logger;
        _time = time;
        var o = options.Value;
        var poolSize = PoolSize(services);
        Limit = o.MaxConcurrentCheckIns ?? poolSize ?? FallbackLimit;
        QueueLimit = Limit == 0 ? 0 : o.MaxQueuedCheckIns ?? 2 * Limit;
        RetryAfter = o.OverloadRetryAfter;
        MaxRetryAfter = o.MaxOverloadRetryAfter < RetryAfter ? RetryAfter : o.MaxOverloadRetryAfter;
        _retryAfterSeconds = RetryAfter.TotalSeconds;
        _windowStart = time.GetTimestamp();
        if (Limit > 0)
        {
            _limiter = new ConcurrencyLimiter(new ConcurrencyLimiterOptions
            {
                PermitLimit = Limit,
                QueueLimit = QueueLimit,
                QueueProcessingOrder = QueueProcessingOrder.OldestFirst,
            });
            Log.CheckInLimits(logger, Limit, QueueLimit, poolSize?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "not EventKit's");
        }

        _lastReport = time.GetTimestamp() - (long)(ReportInterval.TotalSeconds * time.TimestampFrequency);
        var meter = meters.Create(EventKitDiagnostics.AspNetCore);
        _shed = meter.CreateCounter<long>(ShedInstrument, "{request}", "Check-ins answered 503 with Retry-After without being worked on, by reason (capacity, abandoned, storage_unavailable).");
        meter.CreateObservableUpDownCounter(InFlightInstrument, ObserveInFlight, "{request}", "Check-ins this node is working on (at most EventKit:Api:MaxConcurrentCheckIns).");
        meter.CreateObservableUpDownCounter(QueuedInstrument, ObserveQueued, "{request}", "Check-ins waiting for an in-flight slot (at most EventKit:Api:MaxQueuedCheckIns).");
    }

    /// <summary>Check-ins worked on at once; 0 when the limit is off.</summary>
    public int Limit { get; }

    /// <summary>Check-ins that may wait for a slot.</summary>
    public int QueueLimit { get; }

    /// <summary>The <c>Retry-After</c> of a refusal.</summary>
    public TimeSpan RetryAfter { get; }

    /// <summary>Check-ins in flight now (0 when the limit is off).</summary>
    public int InFlight => _limiter?.GetStatistics() is { } s ? Limit - (int)s.CurrentAvailablePermits : 0;

    /// <summary>Check-ins queued now.</summary>
    public long Queued => _limiter?.GetStatistics()?.CurrentQueuedCount ?? 0;

    /// <summary>A slot (dispose it when the check-in is answered), or <see langword="null"/> when this node is full: answer <see cref="Refusal"/>.</summary>
    public async ValueTask<RateLimitLease?> TryEnterAsync(CancellationToken cancellationToken)
    {
        if (_limiter is null)
        {
            return UnlimitedLease.Instance;
        }

        RateLimitLease lease;
        try
        {
            // Completes at once with a permit or, when the queue is full, a refusal; otherwise waits in the queue.
            lease = await _limiter.AcquireAsync(1, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            Shed(AbandonedReason);
            return null;
        }

        if (lease.IsAcquired)
        {
            Interlocked.Increment(ref _windowAdmitted);
            return lease;
        }

        lease.Dispose();
        Shed(CapacityReason);
        return null;
    }

    /// <summary>503 <c>overloaded</c> with <c>Retry-After</c>: nothing was recorded.</summary>
    public IResult Refusal(HttpContext context)
    {
        var retryAfter = CurrentRetryAfter();
        NoteShed();
        return Problems.Overloaded(retryAfter, context);
    }

    /// <summary>Counts one check-in shed in the current second (after its <c>Retry-After</c> was chosen).</summary>
    internal void NoteShed() => Interlocked.Increment(ref _windowShed);

    /// <summary>
    /// The <c>Retry-After</c> to send now. <see cref="RetryAfter"/> while shedding is rare; during a surge it grows with
    /// the ratio of arrivals to check-ins let in over the last second (capped at <see cref="MaxRetryAfter"/>), so that
    /// the retries of N waiting scanners arrive about as fast as the node decides check-ins instead of being shed again
    /// (answering a shed request costs a node as much HTTP work as a check-in's own). It decays back once nothing is shed.
    /// Whole seconds are sent; a fractional value is rounded up or down at random in proportion, so that on average the
    /// retries spread as computed.
    /// </summary>
    internal TimeSpan CurrentRetryAfter()
    {
        var now = _time.GetTimestamp();
        var start = Volatile.Read(ref _windowStart);
        if (_time.GetElapsedTime(start, now) >= RetryAfterWindow && Interlocked.CompareExchange(ref _windowStart, now, start) == start)
        {
            var shed = Interlocked.Exchange(ref _windowShed, 0);
            var admitted = Interlocked.Exchange(ref _windowAdmitted, 0);
            var current = Volatile.Read(ref _retryAfterSeconds);
            var next = shed == 0
                ? current * 0.75
                : admitted == 0 ? current * 2 : current * (shed + admitted) / admitted;
            Volatile.Write(ref _retryAfterSeconds, Math.Clamp(next, RetryAfter.TotalSeconds, MaxRetryAfter.TotalSeconds));
        }

        var seconds = Volatile.Read(ref _retryAfterSeconds);
        var whole = Math.Floor(seconds);
        return TimeSpan.FromSeconds(Random.Shared.NextDouble() < seconds - whole ? whole + 1 : whole);
    }

    /// <summary>The longest <c>Retry-After</c> a surge can raise <see cref="CurrentRetryAfter"/> to.</summary>
    public TimeSpan MaxRetryAfter { get; }

    /// <summary>Counts a check-in answered 503 because storage was unavailable or too slow.</summary>
    public void RecordStorageUnavailable() => _shed.Add(1, new KeyValuePair<string, object?>("reason", StorageReason));

    public void Dispose() => _limiter?.Dispose();

    /// <summary>The maximum pool size of the data source EventKit.Storage writes through, if EventKit.Storage is added.</summary>
    internal static int? PoolSize(IServiceProvider services)
    {
        if (services.GetService(typeof(IOptions<PostgresStorageOptions>)) is not IOptions<PostgresStorageOptions> { Value: var storage })
        {
            return null;
        }

        try
        {
            if (storage.DataSource is { } dataSource)
            {
                return new NpgsqlConnectionStringBuilder(dataSource.ConnectionString).MaxPoolSize;
            }

            if (storage.ConnectionString is not { Length: > 0 } connectionString)
            {
                return null;
            }

            // A pool size written in the connection string wins over the option, as EventKit.Storage applies them.
            foreach (string key in new DbConnectionStringBuilder { ConnectionString = connectionString }.Keys)
            {
                if (key.Replace(" ", "", StringComparison.Ordinal).ToUpperInvariant() is "MAXPOOLSIZE" or "MAXIMUMPOOLSIZE")
                {
                    return new NpgsqlConnectionStringBuilder(connectionString).MaxPoolSize;
                }
            }

            return storage.MaxPoolSize;
        }
        catch (ArgumentException)
        {
            // A connection string storage itself will refuse at start; the fallback serves until then.
            return null;
        }
    }

    private void Shed(string reason)
    {
        _shed.Add(1, new KeyValuePair<string, object?>("reason", reason));
        Interlocked.Increment(ref _shedSinceReport);
        var now = _time.GetTimestamp();
        var last = Volatile.Read(ref _lastReport);
        if (_time.GetElapsedTime(last, now) >= ReportInterval && Interlocked.CompareExchange(ref _lastReport, now, last) == last)
        {
            // At most one line per interval however hard the surge: the log must not become the next bottleneck.
            Log.CheckInsShed(_logger, InFlight, Limit, Queued, QueueLimit, Interlocked.Exchange(ref _shedSinceReport, 0));
        }
    }

    private IEnumerable<Measurement<int>> ObserveInFlight() => _limiter is null ? [] : [new Measurement<int>(InFlight)];

    private IEnumerable<Measurement<long>> ObserveQueued() => _limiter is null ? [] : [new Measurement<long>(Queued)];
}
