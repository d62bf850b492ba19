using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Text;
using System.Text.Json;

namespace EventKit.LoadTest;

/// <summary>The outcome classes a check-in response falls into.</summary>
internal enum Outcome
{
    Admitted,
    Duplicate,
    UnknownCredential,
    Inactive,
    GateClosed,
    BadRequest,
    RateLimited,
    Unavailable,
    OtherStatus,
    TransportError,

    /// <summary>503 <c>overloaded</c> with <c>Retry-After</c>: shed by the host's in-flight limit, on purpose.</summary>
    Shed,

    /// <summary>503 with <c>Retry-After</c> for another reason (storage unavailable: a pool wait that timed out, say).</summary>
    StorageUnavailable,
}

/// <summary>
/// Drives check-ins over N HTTP/1.1 connections for a fixed time and records latency and outcomes. A 503 or 429 with
/// <c>Retry-After</c> is the host shedding load on purpose: counted apart from errors, and the connection waits as told
/// (at most <see cref="MaxRetryAfter"/>) before its next request, as a well-behaved scanner does.
/// </summary>
internal sealed class Driver
{
    private readonly Uri _baseAddress;
    private readonly string _path;
    private readonly int _connections;
    private readonly Func<Random, Worker, byte[]> _nextBody;
    private readonly Worker[] _workers;
    private readonly PerSecondLatency _perSecond = new();
    private long _started;

    private static readonly TimeSpan MaxRetryAfter = TimeSpan.FromSeconds(5);
    private readonly string? _scannerKey;
    private static readonly TimeSpan RetryDelay = TimeSpan.FromMilliseconds(100);

    /// <summary>The response header naming the node that answered (the sample host sets it when it runs as one of several nodes).</summary>
    public const string NodeHeader = "X-EventKit-Node";

    /// <summary>
    /// The response header naming the node that decided a check-in with the gate-owned fast path (the gate's lease
    /// holder): the node reached (<see cref="NodeHeader"/>) or the owner it passed the check-in on to.
    /// </summary>
    public const string ProcessedByHeader = "X-EventKit-Processed-By";

    /// <summary>The origin of a failed answer that names no node: the balancer in front answered itself.</summary>
    public const string GatewayOrigin = "gateway";

    public Driver(Uri baseAddress, string path, int connections, Func<Random, Worker, byte[]> nextBody, string? scannerKey = null)
    {
        _scannerKey = scannerKey;
        _baseAddress = baseAddress;
        _path = path;
        _connections = connections;
        _nextBody = nextBody;
        _workers = new Worker[connections];
        for (var i = 0; i < connections; i++)
        {
            _workers[i] = new Worker(i);
        }
    }

    public ConcurrentBag<Guid> AdmittedRecordIds { get; } = [];

    /// <summary>Whether a failed request (transport error, 5xx other than shedding) is sent again with the same body.</summary>
    public bool RetryFailures { get; init; }

    /// <summary>Requests decided so far (a live figure for throughput before and after an event mid-run).</summary>
    public long DecidedCount() => _workers.Sum(static w => w.DecidedLatency.Count);

    /// <summary>Every failed attempt (Stopwatch timestamp, "502" / "transport" / …); read after the run.</summary>
    public IEnumerable<(long Timestamp, string Failure)> Failures() => _workers.SelectMany(static w => w.Failures);

    /// <summary>Answers counted as errors by status code, every attempt; read after the run.</summary>
    public string ErrorStatuses()
        => string.Join(", ", _workers.SelectMany(static w => w.ErrorStatuses).GroupBy(static e => e.Key).OrderBy(static g => g.Key).Select(static g => $"{g.Key}: {g.Sum(static e => e.Value)}"));

    /// <summary>
    /// Answers that name the node that decided them (<see cref="ProcessedByHeader"/>, the gate-owned fast path): decided
    /// by the node the request reached, and passed on by it to the gate's owner; read after the run.
    /// </summary>
    public (long DecidedWhereReceived, long PassedToOwner) OwnerSplit()
        => (_workers.Sum(static w => w.DecidedWhereReceived), _workers.Sum(static w => w.PassedToOwner));

    /// <summary>Responses per answering node (<see cref="NodeHeader"/>); read after the run.</summary>
    public Dictionary<string, long> NodeSplit()
    {
        var split = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var (node, count) in _workers.SelectMany(static w => w.Nodes))
        {
            split[node] = split.GetValueOrDefault(node) + count;
        }

        return split;
    }

    public async Task<DriverResult> RunAsync(TimeSpan duration, Action<DriverSnapshot>? onTick, CancellationToken cancellationToken)
    {
        using var handler = new SocketsHttpHandler
        {
            MaxConnectionsPerServer = _connections,
            PooledConnectionLifetime = Timeout.InfiniteTimeSpan,
            UseCookies = false,
            AutomaticDecompression = DecompressionMethods.None,
            ConnectTimeout = TimeSpan.FromSeconds(30),
        };
        using var client = new HttpClient(handler) { BaseAddress = _baseAddress, Timeout = TimeSpan.FromSeconds(60) };
        if (_scannerKey is not null)
        {
            client.DefaultRequestHeaders.Add("X-Scanner-Key", _scannerKey);
        }
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var started = Stopwatch.GetTimestamp();
        _started = started;
        var tasks = new Task[_connections];
        for (var i = 0; i < _connections; i++)
        {
            var worker = _workers[i];
            tasks[i] = Task.Run(() => LoopAsync(client, worker, stop.Token), CancellationToken.None);
        }

        var deadline = started + (long)(duration.TotalSeconds * Stopwatch.Frequency);
        while (Stopwatch.GetTimestamp() < deadline && !cancellationToken.IsCancellationRequested)
        {
            await Task.Delay(500, CancellationToken.None).ConfigureAwait(false);
            onTick?.Invoke(Snapshot(Stopwatch.GetElapsedTime(started)));
        }

        await stop.CancelAsync().ConfigureAwait(false);
        await Task.WhenAll(tasks).ConfigureAwait(false);
        var elapsed = Stopwatch.GetElapsedTime(started);

        var histogram = new LatencyHistogram();
        var decided = new LatencyHistogram();
        var outcomes = new long[Enum.GetValues<Outcome>().Length];
        foreach (var worker in _workers)
        {
            histogram.Add(worker.Latency);
            decided.Add(worker.DecidedLatency);
            for (var o = 0; o < outcomes.Length; o++)
            {
                outcomes[o] += worker.Outcomes[o];
            }
        }

        return new DriverResult(elapsed, histogram, decided, outcomes) { Seconds = _perSecond.Samples() };
    }

    private DriverSnapshot Snapshot(TimeSpan elapsed)
    {
        long total = 0, errors = 0, admitted = 0, duplicates = 0, shed = 0;
        foreach (var worker in _workers)
        {
            total += worker.Latency.Count;
            admitted += worker.Outcomes[(int)Outcome.Admitted];
            duplicates += worker.Outcomes[(int)Outcome.Duplicate];
            errors += worker.Outcomes[(int)Outcome.TransportError] + worker.Outcomes[(int)Outcome.OtherStatus] + worker.Outcomes[(int)Outcome.Unavailable] + worker.Outcomes[(int)Outcome.StorageUnavailable];
            shed += worker.Outcomes[(int)Outcome.Shed] + worker.Outcomes[(int)Outcome.RateLimited];
        }

        return new DriverSnapshot(elapsed, total, admitted, duplicates, errors, shed);
    }

    private async Task LoopAsync(HttpClient client, Worker worker, CancellationToken stop)
    {
        var random = new Random(unchecked((worker.Index * 7919) + Environment.TickCount));
        while (!stop.IsCancellationRequested)
        {
            worker.Path = null;
            var body = _nextBody(random, worker);
            var path = worker.Path ?? _path;
            Outcome outcome;
            TimeSpan? retryAfter;
            TimeSpan latency;
            while (true)
            {
                var begin = Stopwatch.GetTimestamp();
                string failure;
                (outcome, retryAfter, failure) = await SendAsync(client, worker, path, body).ConfigureAwait(false);
                latency = Stopwatch.GetElapsedTime(begin);
                if (!RetryFailures || failure.Length == 0)
                {
                    break;
                }

                worker.Failures.Add((Stopwatch.GetTimestamp(), failure));
                if (stop.IsCancellationRequested)
                {
                    break;
                }

                // A scanner whose request failed (the node behind the gateway died, the gateway answered 502/503) sends
                // the same body again: the same requestId, so whichever node takes the retry answers it idempotently.
                try
                {
                    await Task.Delay(RetryDelay, stop).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }

            worker.Latency.Record(latency);
            _perSecond.Record((int)Stopwatch.GetElapsedTime(_started).TotalSeconds, latency);
            if (outcome is not (Outcome.Shed or Outcome.RateLimited or Outcome.StorageUnavailable))
            {
                worker.DecidedLatency.Record(latency);
            }

            worker.Outcomes[(int)outcome]++;
            if (outcome is Outcome.Shed or Outcome.RateLimited or Outcome.StorageUnavailable && retryAfter is { } wait)
            {
                try
                {
                    await Task.Delay(wait < MaxRetryAfter ? wait : MaxRetryAfter, stop).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        }
    }

    /// <summary>One request: its outcome, the Retry-After it carried, and "" or what failed ("502", "transport", …).</summary>
    private async Task<(Outcome Outcome, TimeSpan? RetryAfter, string Failure)> SendAsync(HttpClient client, Worker worker, string path, byte[] body)
    {
        try
        {
            using var content = new ByteArrayContent(body);
            content.Headers.ContentType = new("application/json");
            using var response = await client.PostAsync(path, content, CancellationToken.None).ConfigureAwait(false);
            var payload = await response.Content.ReadAsByteArrayAsync(CancellationToken.None).ConfigureAwait(false);
            var retryAfter = response.Headers.RetryAfter?.Delta;
            var outcome = Classify(response.StatusCode, retryAfter is not null, payload);
            var node = response.Headers.TryGetValues(NodeHeader, out var nodes) ? nodes.FirstOrDefault() : null;
            if (node is not null)
            {
                worker.Nodes[node] = worker.Nodes.GetValueOrDefault(node) + 1;
            }

            if (response.Headers.TryGetValues(ProcessedByHeader, out var processedBy))
            {
                // With the gate-owned fast path: the node that decided (the gate's lease holder) against the one reached.
                if (string.Equals(processedBy.FirstOrDefault(), node, StringComparison.Ordinal))
                {
                    worker.DecidedWhereReceived++;
                }
                else
                {
                    worker.PassedToOwner++;
                }
            }

            if (outcome == Outcome.Admitted && TryReadRecordId(payload, out var recordId))
            {
                AdmittedRecordIds.Add(recordId);
            }

            if (outcome is Outcome.OtherStatus or Outcome.Unavailable or Outcome.StorageUnavailable)
            {
                var code = (int)response.StatusCode;
                worker.ErrorStatuses[code] = worker.ErrorStatuses.GetValueOrDefault(code) + 1;
            }

            var failed = outcome is Outcome.Unavailable or Outcome.StorageUnavailable || (int)response.StatusCode >= 500 && outcome != Outcome.Shed;
            // "502 gateway": the balancer answered itself (no node reached); "503 node-2": a node answered 503.
            var status = ((int)response.StatusCode).ToString(System.Globalization.CultureInfo.InvariantCulture);
            return (outcome, retryAfter, failed ? $"{status} {node ?? GatewayOrigin}" : "");
        }
        catch (HttpRequestException)
        {
            return (Outcome.TransportError, null, "transport");
        }
        catch (TaskCanceledException)
        {
            return (Outcome.TransportError, null, "timeout");
        }
    }

    private static Outcome Classify(HttpStatusCode status, bool hasRetryAfter, byte[] payload) => (int)status switch
    {
        201 => Outcome.Admitted,
        200 => Outcome.Duplicate,
        404 => Outcome.UnknownCredential,
        403 => Outcome.Inactive,
        409 => Outcome.GateClosed,
        400 or 413 => Outcome.BadRequest,
        429 when hasRetryAfter => Outcome.RateLimited,
        503 when hasRetryAfter => IsCode(payload, "overloaded"u8) ? Outcome.Shed : Outcome.StorageUnavailable,
        503 => Outcome.Unavailable,
        _ => Outcome.OtherStatus,
    };

    private static bool IsCode(byte[] payload, ReadOnlySpan<byte> code)
    {
        var reader = new Utf8JsonReader(payload);
        try
        {
            while (reader.Read())
            {
                if (reader.TokenType == JsonTokenType.PropertyName && reader.ValueTextEquals("code"u8) && reader.Read() && reader.TokenType == JsonTokenType.String)
                {
                    return reader.ValueTextEquals(code);
                }
            }
        }
        catch (JsonException)
        {
        }

        return false;
    }

    private static bool TryReadRecordId(byte[] payload, out Guid recordId)
    {
        recordId = default;
        if (payload.Length == 0)
        {
            return false;
        }

        var reader = new Utf8JsonReader(payload);
        while (reader.Read())
        {
            if (reader.TokenType == JsonTokenType.PropertyName && reader.ValueTextEquals("recordId"u8) && reader.Read() && reader.TokenType == JsonTokenType.String)
            {
                return reader.TryGetGuid(out recordId);
            }
        }

        return false;
    }

    /// <summary>Per-connection state: written by one task only, so no locks.</summary>
    internal sealed class Worker(int index)
    {
        public int Index { get; } = index;

        public LatencyHistogram Latency { get; } = new();

        /// <summary>Latency of the requests the host decided (everything but shed answers).</summary>
        public LatencyHistogram DecidedLatency { get; } = new();

        public long[] Outcomes { get; } = new long[Enum.GetValues<Outcome>().Length];

        /// <summary>Recent requests (body and <see cref="Path"/>), for replays of a request id.</summary>
        public (byte[] Body, string? Path)[] Recent { get; } = new (byte[] Body, string? Path)[16];

        /// <summary>
        /// The path of the request the body function just returned (it may set one per request, say
        /// <c>api/v1/gates/{gateId}/checkins</c>); <see langword="null"/> (the default, reset before each call) sends it
        /// to the driver's path.
        /// </summary>
        public string? Path { get; set; }

        /// <summary>Answers decided by the node the request reached (<see cref="ProcessedByHeader"/> = <see cref="NodeHeader"/>).</summary>
        public long DecidedWhereReceived { get; set; }

        /// <summary>Answers the node reached passed on to the gate's owner (<see cref="ProcessedByHeader"/> names another node).</summary>
        public long PassedToOwner { get; set; }

        public int RecentCount { get; set; }

        /// <summary>Responses per answering node.</summary>
        public Dictionary<string, long> Nodes { get; } = new(StringComparer.Ordinal);

        /// <summary>Answers counted as errors, by status code (every attempt, retried or not).</summary>
        public Dictionary<int, long> ErrorStatuses { get; } = [];

        /// <summary>Failed attempts that were retried.</summary>
        public List<(long Timestamp, string Failure)> Failures { get; } = [];
    }

    /// <summary>A check-in body as the HTTP API expects it.</summary>
    public static byte[] CheckInBody(long gateId, string credential, Guid requestId)
        => Encoding.UTF8.GetBytes($"{{\"gateId\":{gateId},\"credential\":\"{credential}\",\"method\":\"qr\",\"requestId\":\"{requestId}\"}}");
}

internal sealed record DriverSnapshot(TimeSpan Elapsed, long Requests, long Admitted, long Duplicates, long Errors, long Shed);

/// <param name="Elapsed">How long the drive took.</param>
/// <param name="Latency">Every request's latency, shed answers included.</param>
/// <param name="DecidedLatency">The latency of requests the host decided (not shed).</param>
/// <param name="Outcomes">Counts by <see cref="Outcome"/>.</param>
internal sealed record DriverResult(TimeSpan Elapsed, LatencyHistogram Latency, LatencyHistogram DecidedLatency, long[] Outcomes)
{
    public long Requests => Latency.Count;

    public double Throughput => Requests / Elapsed.TotalSeconds;

    /// <summary>Check-ins the host decided (admitted, duplicate, refused) per second: the work done, shed answers left out.</summary>
    public double DecidedThroughput => DecidedLatency.Count / Elapsed.TotalSeconds;

    public long Count(Outcome outcome) => Outcomes[(int)outcome];

    /// <summary>Requests and latency percentiles per second of the run.</summary>
    public IReadOnlyList<SecondSample> Seconds { get; init; } = [];

    /// <summary>
    /// Everything but decisions and deliberate shedding: 5xx (a storage 503 too, even with <c>Retry-After</c>: under load it
    /// means a pool wait timed out), other statuses, transport errors.
    /// </summary>
    public long Errors => Count(Outcome.TransportError) + Count(Outcome.OtherStatus) + Count(Outcome.Unavailable) + Count(Outcome.StorageUnavailable);

    /// <summary>503 <c>overloaded</c> and 429, both with <c>Retry-After</c>.</summary>
    public long Shed => Count(Outcome.Shed) + Count(Outcome.RateLimited);
}
