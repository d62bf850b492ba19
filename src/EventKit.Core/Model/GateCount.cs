namespace EventKit;

/// <summary>A count of attendance records at one gate.</summary>
/// <param name="GateId">The gate.</param>
/// <param name="Count">Number of records.</param>
public sealed record GateCount(long GateId, long Count);
