using Microsoft.AspNetCore.Http;

namespace EventKit.AspNetCore.Internal;

/// <summary>The answer of the BLE routes on a host without <c>.AddBleGates()</c>: a problem that names the missing call.</summary>
internal static class BleGatesMissing
{
    public const string Code = "ble_gates_not_enabled";

    public static IResult Answer()
        => Problems.Create(StatusCodes.Status404NotFound, Code, "BLE gates are not enabled on this host.", "Add .AddBleGates() to the EventKit registration to accept gateways, gateway reports and BLE keys.");
}
