namespace EventKit.Scaling;

/// <summary>The request types a node reports load for (keys of <see cref="NodeInfo.Load"/>).</summary>
public static class RequestTypes
{
    /// <summary>Check-ins (<c>POST /api/v1/checkins</c>).</summary>
    public const string CheckIn = "checkin";

    /// <summary>Reads (participants, attendance, stats).</summary>
    public const string Read = "read";

    /// <summary>Management (gates, imports, keys).</summary>
    public const string Management = "management";

    /// <summary>BLE gateway reports.</summary>
    public const string GatewayReport = "gateway_report";
}
