namespace EventKit;

/// <summary>One page of a keyset-paginated read.</summary>
/// <typeparam name="T">The item type.</typeparam>
/// <param name="Items">The items, in the read's order.</param>
/// <param name="NextCursor">An opaque cursor for the next page, or <see langword="null"/> when this is the last page.</param>
public sealed record Page<T>(IReadOnlyList<T> Items, string? NextCursor);

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

/// <summary>How many attendance records a participant has, and when the first and last happened.</summary>
/// <param name="ParticipantId">The participant.</param>
/// <param name="Count">Number of records.</param>
/// <param name="First">The earliest record, or <see langword="null"/> with none.</param>
/// <param name="Last">The latest record, or <see langword="null"/> with none.</param>
public sealed record AttendanceSummary(long ParticipantId, long Count, DateTimeOffset? First, DateTimeOffset? Last);

/// <summary>A count of attendance records at one gate.</summary>
/// <param name="GateId">The gate.</param>
/// <param name="Count">Number of records.</param>
public sealed record GateCount(long GateId, long Count);
