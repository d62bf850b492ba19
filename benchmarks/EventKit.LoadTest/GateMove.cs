namespace EventKit.LoadTest;

/// <summary>A gate whose owner changed: the computed owners before and after, and the node(s) seen processing its reports after.</summary>
internal sealed record GateMove(long Gate, string? From, string? To, string? ObservedAfter);
