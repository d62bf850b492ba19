using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;
using NpgsqlTypes;

namespace EventKit.Storage.Internal.Writer;

/// <summary>
/// Group commit: appends from many callers are queued (bounded) and written by a few loops, each
/// batch as one binary COPY on the loop's own connection. See readme.md for the invariants.
/// </summary>
internal sealed partial class GroupCommitAttendanceWriter : IAttendanceWriter, IAsyncDisposable, IDisposable
{
    internal const string Columns = "id, event_id, participant_id, gate_id, method, direction, credential_kind, occurred_at, request_id";
    internal const string StagingTable = "ek_attendance_staging";

    private readonly NpgsqlDataSource _dataSource;
    private readonly StorageTelemetry _telemetry;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly AttendanceWriterOptions _options;
    private readonly Channel<PendingAppend> _queue;
    private readonly CancellationTokenSource _abort = new();
    private readonly Task[] _loops;
    private readonly Histogram<int> _batchSize;
    private readonly Counter<long> _retries;

    public GroupCommitAttendanceWriter(StorageDataSources sources, StorageTelemetry telemetry, TimeProvider time, IOptions<PostgresStorageOptions> options, ILogger<GroupCommitAttendanceWriter> logger)
    {
        _dataSource = sources.Write;
        _telemetry = telemetry;
        _time = time;
        _logger = logger;
        _options = options.Value.Writer;
        _queue = Channel.CreateBounded<PendingAppend>(new BoundedChannelOptions(_options.QueueCapacity)
        {
            FullMode = BoundedChannelFullMode.Wait,
            SingleReader = _options.Concurrency == 1,
            SingleWriter = false,
        });
        _batchSize = telemetry.Meter.CreateHistogram<int>("eventkit.storage.writer.batch_size", "{record}", "Records per group-commit batch.");
        _retries = telemetry.Meter.CreateCounter<long>("eventkit.storage.writer.retries", "{retry}", "Batches retried after a transient failure.");
        telemetry.Meter.CreateObservableUpDownCounter("eventkit.storage.writer.queue_depth", () => _queue.Reader.Count, "{append}", "Appends waiting for a batch.");

        _loops = new Task[_options.Concurrency];
        for (var i = 0; i < _loops.Length; i++)
        {
            _loops[i] = Task.Run(RunLoopAsync);
        }

        _exclusiveLoop = Task.Run(RunExclusiveLoopAsync);
    }

    /// <summary>Appends waiting for a batch.</summary>
    public int QueueDepth => _queue.Reader.Count;

    /// <summary>The queue's capacity.</summary>
    public int QueueCapacity => _options.QueueCapacity;

    public async ValueTask AppendAsync(AttendanceRecord record, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(record);
        cancellationToken.ThrowIfCancellationRequested();
        var pending = new PendingAppend(record);
        await EnqueueAsync(pending, cancellationToken).ConfigureAwait(false);
        await pending.Completion.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    public async Task AppendManyAsync(IReadOnlyList<AttendanceRecord> records, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(records);
        for (var i = 0; i < records.Count; i++)
        {
            ArgumentNullException.ThrowIfNull(records[i], nameof(records));
        }

        cancellationToken.ThrowIfCancellationRequested();
        if (records.Count == 0)
        {
            return;
        }

        // Chunks of at most one batch each, so a huge call cannot monopolise a loop and the queue
        // bound counts its size; its chunks may land in different (concurrent) batches.
        var chunks = new Task[(records.Count + _options.MaxBatchSize - 1) / _options.MaxBatchSize];
        for (var c = 0; c < chunks.Length; c++)
        {
            var offset = c * _options.MaxBatchSize;
            var pending = new PendingAppend(records, offset, Math.Min(_options.MaxBatchSize, records.Count - offset));
            await EnqueueAsync(pending, cancellationToken).ConfigureAwait(false);
            chunks[c] = pending.Completion.Task;
        }

        await Task.WhenAll(chunks).WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Stops taking appends and writes what is queued; when <paramref name="cancellationToken"/> fires first, the rest fail with <see cref="EventKitUnavailableException"/>.</summary>
    public async Task DrainAsync(CancellationToken cancellationToken)
    {
        var queued = _queue.Reader.Count;
        _queue.Writer.TryComplete();
        _exclusive.Writer.TryComplete();
        try
        {
            await Task.WhenAll(_loops).WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            await _abort.CancelAsync().ConfigureAwait(false);
            await Task.WhenAll(_loops).ConfigureAwait(false);
        }

        // Degraded decisions already queued run to their end (the abort, if it fired, fails them).
        await _exclusiveLoop.ConfigureAwait(false);
        Log.WriterDrained(_logger, queued);
    }

    public async ValueTask DisposeAsync()
    {
        if (_abort.IsCancellationRequested || _queue.Reader.Completion.IsCompleted)
        {
            return;
        }

        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30), _time);
        await DrainAsync(timeout.Token).ConfigureAwait(false);
    }

    /// <summary>For containers disposed synchronously: drains the same way, blocking.</summary>
    public void Dispose() => DisposeAsync().AsTask().GetAwaiter().GetResult();

    internal static bool IsTransient(Exception e) => e switch
    {
        PostgresException pg => pg.IsTransient
            || pg.SqlState.StartsWith("08", StringComparison.Ordinal)
            || pg.SqlState is PostgresErrorCodes.AdminShutdown or PostgresErrorCodes.CrashShutdown or PostgresErrorCodes.CannotConnectNow
                or PostgresErrorCodes.ReadOnlySqlTransaction or PostgresErrorCodes.TooManyConnections,
        NpgsqlException npgsql => npgsql.IsTransient || npgsql.InnerException is IOException or System.Net.Sockets.SocketException or TimeoutException,
        IOException or System.Net.Sockets.SocketException or TimeoutException => true,
        _ => false,
    };

    private async ValueTask EnqueueAsync(PendingAppend pending, CancellationToken cancellationToken)
    {
        if (_queue.Writer.TryWrite(pending))
        {
            return;
        }

        try
        {
            // The queue is full: wait for room. This is the backpressure callers feel.
            await _queue.Writer.WriteAsync(pending, cancellationToken).ConfigureAwait(false);
        }
        catch (ChannelClosedException e)
        {
            throw new EventKitUnavailableException("The attendance writer is shutting down.", e);
        }
    }

    private async Task RunLoopAsync()
    {
        var connection = new LoopConnection(_dataSource);
        var batch = new List<PendingAppend>();

        // The loop belongs to no caller: its batch spans are roots that link to their callers, never children of
        // whichever call happened to start the loop.
        Activity.Current = null;
        try
        {
            // WaitToReadAsync returns false once the queue is completed and empty: the drain.
            while (await _queue.Reader.WaitToReadAsync().ConfigureAwait(false))
            {
                var rows = Fill(batch, 0);
                if (rows == 0)
                {
                    continue;
                }

                if (rows < _options.MaxBatchSize && _options.MaxBatchDelay > TimeSpan.Zero)
                {
                    // Give concurrent callers a moment to join this commit.
                    await Task.Delay(_options.MaxBatchDelay, _time).ConfigureAwait(false);
                    rows = Fill(batch, rows);
                }

                await WriteAsync(connection, batch, rows).ConfigureAwait(false);
                batch.Clear();
            }
        }
        finally
        {
            await connection.DisposeAsync().ConfigureAwait(false);
        }
    }

    private int Fill(List<PendingAppend> batch, int rows)
    {
        while (rows < _options.MaxBatchSize
               && _queue.Reader.TryPeek(out var next)
               && (rows == 0 || rows + next.Count <= _options.MaxBatchSize)
               && _queue.Reader.TryRead(out var taken))
        {
            batch.Add(taken);
            rows += taken.Count;
        }

        return rows;
    }

    private async Task WriteAsync(LoopConnection connection, List<PendingAppend> batch, int rows)
    {
        using var span = StorageTracing.StartBatch(batch, rows);
        var started = Stopwatch.GetTimestamp();
        var staged = false;
        var attempt = 0;
        while (true)
        {
            span?.SetTag(StorageTracing.AttemptsTag, attempt + 1);
            span?.SetTag(StorageTracing.StagedTag, staged);
            try
            {
                var open = await connection.GetAsync(_abort.Token).ConfigureAwait(false);
                if (staged)
                {
                    await CopyThroughStagingAsync(connection, open, batch, _abort.Token).ConfigureAwait(false);
                }
                else
                {
                    await CopyDirectAsync(open, batch, _abort.Token).ConfigureAwait(false);
                }

                // COPY (or COMMIT) returned: the rows are committed. Only now are callers told.
                _telemetry.Record(QueryNames.AttendanceBatch, started, null);
                _batchSize.Record(rows);
                foreach (var pending in batch)
                {
                    pending.Completion.TrySetResult();
                }

                return;
            }
            catch (PostgresException e) when (!staged && Mapping.IsUniqueViolation(e))
            {
                // Some record is already stored (a caller's retry, or a commit whose
                // acknowledgement was lost). The direct COPY rolled back as a whole; write the batch
                // again through the idempotent path.
                staged = true;
            }
            catch (OperationCanceledException e) when (_abort.IsCancellationRequested)
            {
                Fail(batch, started, new EventKitUnavailableException("The attendance writer shut down before the batch was written.", e));
                return;
            }
            catch (Exception e) when (IsTransient(e))
            {
                // The connection is unusable and the commit's outcome may be unknown: every retry
                // goes through the idempotent path so a batch that did commit is not stored twice.
                await connection.ResetAsync().ConfigureAwait(false);

                // A lost connection usually means the server restarted or failed over: the pool's
                // idle connections are dead too, and handing one out would waste a retry.
                _dataSource.Clear();
                staged = true;
                attempt++;
                if (attempt > _options.MaxRetries)
                {
                    Log.BatchGaveUp(_logger, e, rows, attempt);
                    Fail(batch, started, new EventKitUnavailableException("PostgreSQL stayed unreachable while writing attendance records.", e));
                    return;
                }

                _retries.Add(1);
                var delay = Backoff(attempt);
                Log.BatchRetry(_logger, e, rows, attempt, delay.TotalMilliseconds);
                try
                {
                    await Task.Delay(delay, _time, _abort.Token).ConfigureAwait(false);
                }
                catch (OperationCanceledException cancelled)
                {
                    Fail(batch, started, new EventKitUnavailableException("The attendance writer shut down before the batch was written.", cancelled));
                    return;
                }
            }
            catch (Exception e)
            {
                await connection.ResetAsync().ConfigureAwait(false);
                Log.BatchFailed(_logger, e, rows);
                Fail(batch, started, e);
                return;
            }
        }
    }

    private void Fail(List<PendingAppend> batch, long started, Exception error)
    {
        Activity.Current?.SetStatus(ActivityStatusCode.Error, error.GetType().Name);
        _telemetry.Record(QueryNames.AttendanceBatch, started, error);
        foreach (var pending in batch)
        {
            pending.Completion.TrySetException(error);
        }
    }

    private TimeSpan Backoff(int attempt)
    {
        var ceiling = Math.Min(5000, _options.RetryBaseDelay.TotalMilliseconds * Math.Pow(2, attempt - 1));

        // Equal jitter: nodes that lost the same primary do not retry in lockstep.
        return TimeSpan.FromMilliseconds((ceiling / 2) + (Random.Shared.NextDouble() * ceiling / 2));
    }

    private static async Task CopyDirectAsync(NpgsqlConnection connection, List<PendingAppend> batch, CancellationToken cancellationToken)
    {
        // Outside an explicit transaction a COPY is its own transaction: when CompleteAsync returns,
        // PostgreSQL has committed. One round trip for the whole batch.
        await CopyAsync(connection, $"COPY attendance_records ({Columns}) FROM STDIN (FORMAT BINARY)", batch, cancellationToken).ConfigureAwait(false);
    }

    private static async Task CopyThroughStagingAsync(LoopConnection loop, NpgsqlConnection connection, List<PendingAppend> batch, CancellationToken cancellationToken)
    {
        await loop.EnsureStagingAsync(cancellationToken).ConfigureAwait(false);
        var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        await using (transaction.ConfigureAwait(false))
        {
            await CopyAsync(connection, $"COPY {StagingTable} ({Columns}) FROM STDIN (FORMAT BINARY)", batch, cancellationToken).ConfigureAwait(false);
            using (var insert = new NpgsqlCommand($"INSERT INTO attendance_records ({Columns}) SELECT {Columns} FROM {StagingTable} ON CONFLICT DO NOTHING", connection, transaction))
            {
                await insert.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            }

            // The staging table is ON COMMIT DELETE ROWS: empty again after this.
            await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    private static async Task CopyAsync(NpgsqlConnection connection, string copy, List<PendingAppend> batch, CancellationToken cancellationToken)
    {
        var importer = await connection.BeginBinaryImportAsync(copy, cancellationToken).ConfigureAwait(false);
        await using (importer.ConfigureAwait(false))
        {
            foreach (var pending in batch)
            {
                for (var i = 0; i < pending.Count; i++)
                {
                    await WriteRowAsync(importer, pending[i], cancellationToken).ConfigureAwait(false);
                }
            }

            await importer.CompleteAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>One record as a row of a binary COPY in the order of <see cref="Columns"/>.</summary>
    private static async Task WriteRowAsync(NpgsqlBinaryImporter importer, AttendanceRecord r, CancellationToken cancellationToken)
    {
        await importer.StartRowAsync(cancellationToken).ConfigureAwait(false);
        await importer.WriteAsync(r.Id, NpgsqlDbType.Uuid, cancellationToken).ConfigureAwait(false);
        await importer.WriteAsync(r.EventId, NpgsqlDbType.Bigint, cancellationToken).ConfigureAwait(false);
        await importer.WriteAsync(r.ParticipantId, NpgsqlDbType.Bigint, cancellationToken).ConfigureAwait(false);
        await importer.WriteAsync(r.GateId, NpgsqlDbType.Bigint, cancellationToken).ConfigureAwait(false);
        await importer.WriteAsync((short)r.Method, NpgsqlDbType.Smallint, cancellationToken).ConfigureAwait(false);
        await importer.WriteAsync((short)r.Direction, NpgsqlDbType.Smallint, cancellationToken).ConfigureAwait(false);
        await importer.WriteAsync((short)r.CredentialKind, NpgsqlDbType.Smallint, cancellationToken).ConfigureAwait(false);
        await importer.WriteAsync(r.OccurredAt.UtcDateTime, NpgsqlDbType.TimestampTz, cancellationToken).ConfigureAwait(false);
        if (r.RequestId is { } requestId)
        {
            await importer.WriteAsync(requestId, NpgsqlDbType.Uuid, cancellationToken).ConfigureAwait(false);
        }
        else
        {
            await importer.WriteNullAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>A loop's own long-lived connection (so its temporary staging table survives between batches).</summary>
    private sealed class LoopConnection(NpgsqlDataSource dataSource) : IAsyncDisposable
    {
        private NpgsqlConnection? _connection;
        private bool _stagingReady;

        public async ValueTask<NpgsqlConnection> GetAsync(CancellationToken cancellationToken)
        {
            if (_connection is { FullState: System.Data.ConnectionState.Open })
            {
                return _connection;
            }

            await ResetAsync().ConfigureAwait(false);
            _connection = await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
            return _connection;
        }

        public async ValueTask EnsureStagingAsync(CancellationToken cancellationToken)
        {
            if (_stagingReady)
            {
                return;
            }

            using var create = new NpgsqlCommand(
                $"CREATE TEMP TABLE IF NOT EXISTS {StagingTable} (LIKE attendance_records INCLUDING DEFAULTS) ON COMMIT DELETE ROWS", _connection);
            await create.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            _stagingReady = true;
        }

        public async ValueTask ResetAsync()
        {
            _stagingReady = false;
            if (_connection is not null)
            {
                var broken = _connection;
                _connection = null;
                try
                {
                    await broken.DisposeAsync().ConfigureAwait(false);
                }
                catch (Exception e) when (e is NpgsqlException or IOException or InvalidOperationException)
                {
                    // A connection that died mid-COPY may fail to close cleanly; it is gone either way.
                }
            }
        }

        public ValueTask DisposeAsync() => ResetAsync();
    }
}
