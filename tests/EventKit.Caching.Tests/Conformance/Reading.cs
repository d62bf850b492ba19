namespace EventKit.Caching.Tests.Conformance;

/// <summary>A value for the default JSON serializer.</summary>
public sealed record Reading(double Celsius, string RoomName);

