namespace EventKit.Gates.Ble;

/// <summary>Says which gate a gateway stands at. The default reads <see cref="BleGateOptions.Gateways"/>; register your
/// own (for example, one backed by the gateways table) before <c>AddBleGates()</c> to replace it.</summary>
public interface IBleGatewayDirectory
{
    /// <summary>Looks up a gateway's gate. Called for every report: keep it in memory.</summary>
    /// <returns><see langword="false"/> for an unknown gateway; its reports are rejected.</returns>
    bool TryGetGate(string gatewayId, out long gateId);
}

/// <summary>Maps static badge numbers (iBeacon major·65536 + minor, Eddystone-UID instance) to participants. The default
/// reads <see cref="BleGateOptions.StaticBadges"/>; register your own (for example, one backed by your badge database)
/// before <c>AddBleGates()</c> to replace it. Badge numbers must be random, never derived from participant ids.</summary>
public interface IBleStaticBadgeDirectory
{
    /// <summary>Looks up a badge. Called on the hot path: keep it in memory.</summary>
    /// <returns><see langword="false"/> for an unknown badge.</returns>
    bool TryGetParticipant(ulong badgeNumber, out long participantId);
}

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

/// <summary>A presence change at a gate.</summary>
/// <param name="Kind">What happened.</param>
/// <param name="GateId">The gate.</param>
/// <param name="ParticipantId">The participant.</param>
/// <param name="CredentialKind">What identified the participant (rotating EID or a static badge).</param>
/// <param name="At">When (the sighting's time).</param>
/// <param name="OtherGateId">For <see cref="BlePresenceEventKind.CloneSuspected"/>: the gate of the earlier entry.</param>
public readonly record struct BlePresenceEvent(BlePresenceEventKind Kind, long GateId, long ParticipantId, CredentialKind CredentialKind, DateTimeOffset At, long? OtherGateId = null);

/// <summary>Told about enters, exits and suspected clones (for monitoring and alerts). Register any number with
/// <c>services.TryAddEnumerable(ServiceDescriptor.Singleton&lt;IBleGateObserver, MyObserver&gt;())</c>.</summary>
public interface IBleGateObserver
{
    /// <summary>Called after each change, outside the engine's lock. Must be quick and must not throw.</summary>
    void OnPresenceEvent(in BlePresenceEvent presenceEvent);
}
