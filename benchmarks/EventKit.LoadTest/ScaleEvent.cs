namespace EventKit.LoadTest;

/// <summary>One request of the leader's autoscaler to the demo's executor and what the executor did with it.</summary>
internal sealed record ScaleEvent(long Timestamp, string? FromNode, int? Desired, int? Current, long? FencingToken, string? Reason, string Decision);
