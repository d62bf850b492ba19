namespace EventKit.Gates.Ble;

/// <summary>Maps static badge numbers (iBeacon major·65536 + minor, Eddystone-UID instance) to participants. The default
/// reads <see cref="BleGateOptions.StaticBadges"/>; register your own (for example, one backed by your badge database)
/// before <c>AddBleGates()</c> to replace it. Badge numbers must be random, never derived from participant ids.</summary>
public interface IBleStaticBadgeDirectory
{
    /// <summary>Looks up a badge. Called on the hot path: keep it in memory.</summary>
    /// <returns><see langword="false"/> for an unknown badge.</returns>
    bool TryGetParticipant(ulong badgeNumber, out long participantId);
}
