using System.Buffers.Binary;

namespace EventKit.Gates.Ble.Internal;

/// <summary>The outcome of reading an advert for a credential.</summary>
internal enum CredentialOutcome
{
    Resolved = 0,
    NotACredential = 1,
    Malformed = 2,
}

/// <summary>Turns an advert into a participant: a rotating EID first (one structure walk and one hash lookup), then, only
/// when the event opted in, a static badge.</summary>
internal sealed class BleCredentialResolver(EddystoneEidResolver eids, StaticBeaconMatcher statics, IBleStaticBadgeDirectory badges, int maxAdvertLength, int defaultMeasuredPower)
{
    public CredentialOutcome Resolve(ReadOnlySpan<byte> advert, DateTimeOffset seenAt, out long participantId, out CredentialKind kind, out int measuredPowerAt1m)
    {
        participantId = 0;
        kind = CredentialKind.BleRotatingEid;
        measuredPowerAt1m = defaultMeasuredPower;

        var reader = new AdStructureReader(advert, maxAdvertLength);
        while (reader.MoveNext())
        {
            var structure = reader.Current;
            var data = structure.Data;

            // Service data: UUID FEAA, frame 0x30, tx power at 0 m, 8-byte EID.
            if (structure.Type == BleAdvertParser.TypeServiceData16 && data.Length == 12
                && BinaryPrimitives.ReadUInt16LittleEndian(data) == BleAdvertParser.EddystoneServiceUuid && data[2] == BleAdvertParser.EddystoneEid)
            {
                measuredPowerAt1m = (sbyte)data[3] - BleAdvert.EddystoneReferenceLoss;
                return eids.TryResolve(BinaryPrimitives.ReadUInt64BigEndian(data[4..]), seenAt, out participantId)
                    ? CredentialOutcome.Resolved
                    : CredentialOutcome.NotACredential;
            }
        }

        if (reader.Status is AdvertParseStatus.Truncated or AdvertParseStatus.TooLong)
        {
            return CredentialOutcome.Malformed;
        }

        if (!statics.Enabled)
        {
            return CredentialOutcome.NotACredential;
        }

        var parsed = BleAdvertParser.Parse(advert, maxAdvertLength);
        if (statics.TryGetBadge(parsed, out var badge) && badges.TryGetParticipant(badge, out participantId))
        {
            kind = CredentialKind.BleStaticBeacon;
            if (parsed.TryGetMeasuredPowerAt1m(out var power))
            {
                measuredPowerAt1m = power;
            }

            return CredentialOutcome.Resolved;
        }

        return CredentialOutcome.NotACredential;
    }
}
