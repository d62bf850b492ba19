namespace EventKit;

/// <summary>A claim on a participant's passage through a gate: the record that holds it.</summary>
/// <param name="RecordId">The attendance record that holds the claim.</param>
/// <param name="OccurredAt">When that admission happened.</param>
public readonly record struct PassageClaim(Guid RecordId, DateTimeOffset OccurredAt);
