namespace EventKit;

/// <summary>How many attendance records a participant has, and when the first and last happened.</summary>
/// <param name="ParticipantId">The participant.</param>
/// <param name="Count">Number of records.</param>
/// <param name="First">The earliest record, or <see langword="null"/> with none.</param>
/// <param name="Last">The latest record, or <see langword="null"/> with none.</param>
public sealed record AttendanceSummary(long ParticipantId, long Count, DateTimeOffset? First, DateTimeOffset? Last);
