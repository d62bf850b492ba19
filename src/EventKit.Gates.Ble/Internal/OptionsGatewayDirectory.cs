using Microsoft.Extensions.Options;

namespace EventKit.Gates.Ble.Internal;

/// <summary>Gateways from <see cref="BleGateOptions.Gateways"/>, copied once at start.</summary>
internal sealed class OptionsGatewayDirectory(IOptions<BleGateOptions> options) : IBleGatewayDirectory
{
    private readonly Dictionary<string, long> _gateways = new(options.Value.Gateways, StringComparer.Ordinal);

    public bool TryGetGate(string gatewayId, out long gateId) => _gateways.TryGetValue(gatewayId, out gateId);
}
