using System.Diagnostics;

namespace EventKit.Storage.Internal.Writer;

/// <summary>One queued append: a single record or a slice of a many-append, and the task its caller awaits.</summary>
internal sealed class PendingAppend
{
    private readonly AttendanceRecord? _single;
    private readonly IReadOnlyList<AttendanceRecord>? _list;
    private readonly int _offset;

    public PendingAppend(AttendanceRecord record)
    {
        _single = record;
        Count = 1;
    }

    public PendingAppend(IReadOnlyList<AttendanceRecord> list, int offset, int count)
    {
        _list = list;
        _offset = offset;
        Count = count;
    }

    public int Count { get; }

    /// <summary>The caller's span when it queued this append (the check-in's <c>eventkit.checkin.write</c>), linked from the batch's span; default when untraced.</summary>
    public ActivityContext Caller { get; } = Activity.Current?.Context ?? default;

    /// <summary>Completed by the writer after COMMIT, or faulted when the batch is given up. Continuations run off the writer's loop.</summary>
    public TaskCompletionSource Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public AttendanceRecord this[int index] => _single ?? _list![_offset + index];
}
