namespace EventKit.Gates.Ble;

/// <summary>Says which gate a gateway stands at. The default reads <see cref="BleGateOptions.Gateways"/>; register your
/// own (for example, one backed by the gateways table) before <c>AddBleGates()</c> to replace it.</summary>
public interface IBleGatewayDirectory
{
    /// <summary>Looks up a gateway's gate. Called for every report: keep it in memory.</summary>
    /// <returns><see langword="false"/> for an unknown gateway; its reports are rejected.</returns>
    bool TryGetGate(string gatewayId, out long gateId);
}
