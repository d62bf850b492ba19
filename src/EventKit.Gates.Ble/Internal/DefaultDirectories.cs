using Microsoft.Extensions.Options;

namespace EventKit.Gates.Ble.Internal;

/// <summary>Gateways from <see cref="BleGateOptions.Gateways"/>, copied once at start.</summary>
internal sealed class OptionsGatewayDirectory(IOptions<BleGateOptions> options) : IBleGatewayDirectory
{
    private readonly Dictionary<string, long> _gateways = new(options.Value.Gateways, StringComparer.Ordinal);

    public bool TryGetGate(string gatewayId, out long gateId) => _gateways.TryGetValue(gatewayId, out gateId);
}

/// <summary>Badge number = participant id: events that print the participant id on the badge need no table.</summary>
internal sealed class ParticipantIdBadgeDirectory : IBleStaticBadgeDirectory
{
    public bool TryGetParticipant(ulong badgeNumber, out long participantId)
    {
        participantId = badgeNumber is > 0 and <= long.MaxValue ? (long)badgeNumber : 0;
        return participantId > 0;
    }
}
