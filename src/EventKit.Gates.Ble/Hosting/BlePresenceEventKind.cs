namespace EventKit.Gates.Ble;

/// <summary>What happened to a participant at a gate.</summary>
public enum BlePresenceEventKind
{
    /// <summary>The participant came close enough for long enough; a check-in follows.</summary>
    Entered = 0,

    /// <summary>The participant moved away or was no longer heard.</summary>
    Exited = 1,

    /// <summary>The participant entered at this gate too soon after entering at another: the credential is probably cloned
    /// (or replayed), so no check-in was made.</summary>
    CloneSuspected = 2,
}
