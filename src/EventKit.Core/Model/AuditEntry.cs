namespace EventKit;

/// <summary>A recorded management change.</summary>
/// <param name="Id">The entry's id; later entries have larger ids.</param>
/// <param name="OccurredAt">When it was recorded.</param>
/// <param name="Change">What changed, by whom.</param>
public sealed record AuditEntry(long Id, DateTimeOffset OccurredAt, AuditChange Change);
