namespace EventKit;

/// <summary>A management change to record in the audit log. Never carries tokens or keys.</summary>
/// <param name="EventId">The event the changed entity belongs to.</param>
/// <param name="Actor">Who made the change: the admin key's name, or <c>anonymous</c> (Development, loopback).</param>
/// <param name="Action">What was done, for example <c>participant.update</c> or <c>scanner.rotate_key</c>.</param>
/// <param name="EntityKind">The kind of entity changed: <c>participant</c>, <c>gate</c>, <c>gateway</c>, <c>scanner</c>.</param>
/// <param name="EntityId">The entity's id, or <see langword="null"/> when the change covers many (an import).</param>
/// <param name="OldValue">The state before, as a JSON object (statuses, names), or <see langword="null"/>.</param>
/// <param name="NewValue">The state after, as a JSON object, or <see langword="null"/>.</param>
public sealed record AuditChange(long EventId, string Actor, string Action, string EntityKind, long? EntityId, string? OldValue, string? NewValue);
