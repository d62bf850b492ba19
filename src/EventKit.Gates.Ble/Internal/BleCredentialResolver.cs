using System.Buffers.Binary;

namespace EventKit.Gates.Ble.Internal;

/// <summary>Turns an advert into a participant: a rotating EID first (one structure walk and one hash lookup), then, only
/// when the event opted in, a static badge.</summary>
/// <remarks>The 1 m reference it reports comes from the advert's tx power only when that is plausible
/// (<see cref="BleGateOptions.MinPlausibleTxPower"/> to <see cref="BleGateOptions.MaxPlausibleTxPower"/>): the tx byte is not
/// covered by the EID, so a replayed advert stating −128 dBm would otherwise look millimetres away. A calibrated gateway
/// overrides the value anyway (<see cref="BleReportIngestor"/>).</remarks>
internal sealed class BleCredentialResolver(EddystoneEidResolver eids, StaticBeaconMatcher statics, IBleStaticBadgeDirectory badges, BleGateOptions options)
{
    private readonly int _maxAdvertLength = options.MaxAdvertLength;
    private readonly int _defaultMeasuredPower = options.DefaultMeasuredPower;
    private readonly int _minTx = options.MinPlausibleTxPower;
    private readonly int _maxTx = options.MaxPlausibleTxPower;

    public CredentialOutcome Resolve(ReadOnlySpan<byte> advert, DateTimeOffset seenAt, out long participantId, out CredentialKind kind, out int measuredPowerAt1m)
    {
        participantId = 0;
        kind = CredentialKind.BleRotatingEid;
        measuredPowerAt1m = _defaultMeasuredPower;

        var reader = new AdStructureReader(advert, _maxAdvertLength);
        while (reader.MoveNext())
        {
            var structure = reader.Current;
            var data = structure.Data;

            // Service data: UUID FEAA, frame 0x30, tx power at 0 m, 8-byte EID.
            if (structure.Type == BleAdvertParser.TypeServiceData16 && data.Length == 12
                && BinaryPrimitives.ReadUInt16LittleEndian(data) == BleAdvertParser.EddystoneServiceUuid && data[2] == BleAdvertParser.EddystoneEid)
            {
                measuredPowerAt1m = ReferenceAt1m((sbyte)data[3], BleAdvert.EddystoneReferenceLoss);
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

        var parsed = BleAdvertParser.Parse(advert, _maxAdvertLength);
        if (statics.TryGetBadge(parsed, out var badge) && badges.TryGetParticipant(badge, out participantId))
        {
            kind = CredentialKind.BleStaticBeacon;
            measuredPowerAt1m = parsed.Frame switch
            {
                BleFrameKind.IBeacon or BleFrameKind.AltBeacon => ReferenceAt1m((sbyte)parsed.FrameBody[20], 0),
                BleFrameKind.EddystoneUid => ReferenceAt1m((sbyte)parsed.FrameBody[0], BleAdvert.EddystoneReferenceLoss),
                _ => _defaultMeasuredPower,
            };

            return CredentialOutcome.Resolved;
        }

        return CredentialOutcome.NotACredential;
    }

    /// <summary>The advert's stated tx power converted to the 1 m reference, or the default when the statement is implausible.</summary>
    private int ReferenceAt1m(int statedTxPower, int lossTo1m)
        => statedTxPower >= _minTx && statedTxPower <= _maxTx ? statedTxPower - lossTo1m : _defaultMeasuredPower;
}
