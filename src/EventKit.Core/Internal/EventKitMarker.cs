namespace EventKit.Internal;

/// <summary>Registered once by <c>AddEventKit()</c> so that later calls know the core services are there.</summary>
internal sealed class EventKitMarker;
