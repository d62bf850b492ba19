namespace EventKit.Gates.Ble;

/// <summary>What a replayed capture did at a gate (<see cref="BleCaptureReplayer"/>).</summary>
/// <param name="Records">Records in the capture.</param>
/// <param name="Adverts">Adverts parsed from its LE Advertising Report events.</param>
/// <param name="Resolved">Adverts that identified a participant (at the capture's own time).</param>
/// <param name="Refused">Adverts refused as malformed (or unreadable in the capture).</param>
/// <param name="Ignored">Adverts that are not credentials (other devices, unknown EIDs).</param>
/// <param name="Enters">Participants the gate's presence rules would admit.</param>
/// <param name="Exits">Exits the presence rules saw (not heard any more, or walking away).</param>
/// <param name="CloneSuspicions">Sightings refused as a credential seen at two gates too fast.</param>
/// <param name="Admitted">Check-ins admitted; always 0 unless the replay was asked to write.</param>
/// <param name="Shift">How far the capture's timestamps were moved so that it ends now.</param>
/// <param name="Truncated">Whether the capture ended in the middle of a record.</param>
public sealed record BleReplayReport(int Records, int Adverts, int Resolved, int Refused, int Ignored, int Enters, int Exits, int CloneSuspicions, int Admitted, TimeSpan Shift, bool Truncated);
