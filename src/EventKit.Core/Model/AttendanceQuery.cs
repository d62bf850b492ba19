namespace EventKit;

/// <summary>A filter over attendance records, newest first, keyset-paged.</summary>
public sealed record AttendanceQuery
{
    /// <summary>The default page size.</summary>
    public const int DefaultLimit = 100;

    /// <summary>The largest page size.</summary>
    public const int MaxLimit = 1000;

    /// <summary>Only this participant's records.</summary>
    public long? ParticipantId { get; init; }

    /// <summary>Only this gate's records.</summary>
    public long? GateId { get; init; }

    /// <summary>Only records at or after this time.</summary>
    public DateTimeOffset? Since { get; init; }

    /// <summary>Page size, 1 to <see cref="MaxLimit"/>. Default <see cref="DefaultLimit"/>.</summary>
    public int Limit { get; init; } = DefaultLimit;

    /// <summary>The <see cref="Page{T}.NextCursor"/> of the previous page, or <see langword="null"/> for the first page.</summary>
    public string? After { get; init; }
}
