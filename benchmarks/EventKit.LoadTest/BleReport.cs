namespace EventKit.LoadTest;

/// <summary>One BLE gateway report as the demo saw it: its gate, when, the node the gateway routed it to, and the node that processed it.</summary>
internal sealed record BleReport(long Timestamp, long Gate, string? ReceivedBy, string? ProcessedBy, int Status);
