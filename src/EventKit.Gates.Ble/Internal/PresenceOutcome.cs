namespace EventKit.Gates.Ble.Internal;

/// <summary>What one sighting changed.</summary>
internal enum PresenceOutcome
{
    None = 0,
    Entered = 1,
    Exited = 2,
    CloneSuspected = 3,
}
