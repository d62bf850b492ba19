namespace EventKit;

/// <summary>The outcome of <see cref="ICheckInClaims.TryClaimPassageCheckedAsync"/>.</summary>
/// <param name="Holder">The claim that already holds the passage, or <see langword="null"/> when the caller now holds it.</param>
/// <param name="Unverified">With no holder: the store cannot vouch that no other node admitted this passage; the pipeline asks PostgreSQL.</param>
public readonly record struct PassageClaimResult(PassageClaim? Holder, bool Unverified = false);
