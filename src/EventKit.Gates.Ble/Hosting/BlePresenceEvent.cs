namespace EventKit.Gates.Ble;

/// <summary>A presence change at a gate.</summary>
/// <param name="Kind">What happened.</param>
/// <param name="GateId">The gate.</param>
/// <param name="ParticipantId">The participant.</param>
/// <param name="CredentialKind">What identified the participant (rotating EID or a static badge).</param>
/// <param name="At">When (the sighting's time).</param>
/// <param name="OtherGateId">For <see cref="BlePresenceEventKind.CloneSuspected"/>: the gate of the earlier entry.</param>
public readonly record struct BlePresenceEvent(BlePresenceEventKind Kind, long GateId, long ParticipantId, CredentialKind CredentialKind, DateTimeOffset At, long? OtherGateId = null);
