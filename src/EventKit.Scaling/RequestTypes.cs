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

    /// <summary>
    /// Classifies a request of EventKit's HTTP API by method and path, the same way on nodes (which report load per
    /// type) and balancers (which route per type): check-ins, BLE gateway reports, reads (GET/HEAD) and management.
    /// </summary>
    /// <param name="method">The HTTP method.</param>
    /// <param name="path">The request path, for example <c>/api/v1/checkins</c>.</param>
    /// <returns>One of the constants of this class.</returns>
    public static string Classify(string method, string path)
    {
        ArgumentNullException.ThrowIfNull(method);
        ArgumentNullException.ThrowIfNull(path);
        var isPost = string.Equals(method, "POST", StringComparison.OrdinalIgnoreCase);
        if (isPost && (path.Equals("/api/v1/checkins", StringComparison.OrdinalIgnoreCase) || TrySegmentId(path, "/api/v1/gates/", "/checkins", out _)))
        {
            return CheckIn;
        }

        if (isPost && TryGetGatewayId(path, out _))
        {
            return GatewayReport;
        }

        return string.Equals(method, "GET", StringComparison.OrdinalIgnoreCase) || string.Equals(method, "HEAD", StringComparison.OrdinalIgnoreCase)
            ? Read
            : Management;
    }

    /// <summary>The gateway id of a report path, <c>/api/v1/gateways/{id}/reports</c>.</summary>
    /// <param name="path">The request path.</param>
    /// <param name="gatewayId">The gateway id.</param>
    /// <returns>Whether the path is a gateway report path.</returns>
    public static bool TryGetGatewayId(string path, out long gatewayId)
    {
        ArgumentNullException.ThrowIfNull(path);
        return TrySegmentId(path, "/api/v1/gateways/", "/reports", out gatewayId);
    }

    /// <summary>The gate id of a gate check-in path, <c>/api/v1/gates/{id}/checkins</c> (the route a balancer can send to the gate's owner).</summary>
    /// <param name="path">The request path.</param>
    /// <param name="gateId">The gate id.</param>
    /// <returns>Whether the path is a gate check-in path.</returns>
    public static bool TryGetCheckInGateId(string path, out long gateId)
    {
        ArgumentNullException.ThrowIfNull(path);
        return TrySegmentId(path, "/api/v1/gates/", "/checkins", out gateId);
    }

    private static bool TrySegmentId(string path, string prefix, string suffix, out long id)
    {
        id = 0;
        if (path.Length <= prefix.Length + suffix.Length
            || !path.StartsWith(prefix, StringComparison.OrdinalIgnoreCase)
            || !path.EndsWith(suffix, StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        var segment = path.AsSpan(prefix.Length, path.Length - prefix.Length - suffix.Length);
        return long.TryParse(segment, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out id) && id > 0;
    }
}
