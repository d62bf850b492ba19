namespace EventKit.Storage;

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
