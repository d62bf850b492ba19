namespace EventKit.Storage.Internal.Writer;

/// <summary>One admission waiting for PostgreSQL's decision on the degraded path, and the task its caller awaits.</summary>
internal sealed class PendingExclusiveAppend(AttendanceRecord record, TimeSpan window, CancellationToken cancellationToken)
{
    public AttendanceRecord Record { get; } = record;

    public TimeSpan Window { get; } = window;

    /// <summary>Honoured until a batch takes the append; after that the decision runs to its end.</summary>
    public CancellationToken CancellationToken { get; } = cancellationToken;

    /// <summary>The record that was there before (nothing written), or <see langword="null"/> when this one was written.</summary>
    public TaskCompletionSource<AttendanceRecord?> Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
}
