namespace EventKit;

/// <summary>The names of EventKit's meters and activity sources, one per package, for OpenTelemetry and <c>MeterListener</c> set-up.</summary>
public static class EventKitDiagnostics
{
    /// <summary>The check-in pipeline (EventKit.Core).</summary>
    public const string CheckIn = "EventKit.CheckIn";

    /// <summary>EventKit.Storage: named queries, the attendance writer, maintenance.</summary>
    public const string Storage = "EventKit.Storage";

    /// <summary>EventKit.Caching: requests per tier, factory time, L2 errors, backplane.</summary>
    public const string Caching = "EventKit.Caching";

    /// <summary>EventKit.Redis: the shared connection (connected gauge, failures, data loss).</summary>
    public const string Redis = "EventKit.Redis";

    /// <summary>EventKit.Gates.Ble: adverts, resolution, presence.</summary>
    public const string Ble = "EventKit.Gates.Ble";

    /// <summary>EventKit.Monitoring: alerts and recovery actions.</summary>
    public const string Monitoring = "EventKit.Monitoring";

    /// <summary>EventKit.Scaling: nodes, balancing, leases.</summary>
    public const string Scaling = "EventKit.Scaling";

    /// <summary>EventKit.AspNetCore: the HTTP API beyond ASP.NET Core's own instruments.</summary>
    public const string AspNetCore = "EventKit.AspNetCore";

    /// <summary>Every name above.</summary>
    public static IReadOnlyList<string> All { get; } = [CheckIn, Storage, Caching, Redis, Ble, Monitoring, Scaling, AspNetCore];
}
