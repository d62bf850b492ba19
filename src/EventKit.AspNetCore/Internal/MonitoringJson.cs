// One file on purpose: the wire shapes of MonitoringJsonContext, a few lines each, kept beside the context.
using System.Text.Json;
using System.Text.Json.Serialization;
using EventKit.Monitoring;

namespace EventKit.AspNetCore.Internal;

/// <summary>The dashboard's tiles for one window, computed from the monitored series (seconds for durations, 0..1 for ratios).</summary>
internal sealed record DashboardTiles(
    string Window,
    double CheckInsPerSecond,
    IReadOnlyDictionary<string, double> Outcomes,
    double? CheckInP50,
    double? CheckInP95,
    double? CheckInP99,
    double? ApiP95,
    double? ErrorRatio,
    IReadOnlyDictionary<string, double> CacheHitRatio,
    IReadOnlyDictionary<string, double> DbP95,
    double? WriterBacklog,
    double BleParsedPerSecond,
    double BleResolvedPerSecond,
    double BleRejectedPerSecond,
    double? Cpu,
    double? Memory,
    double? WorkingSetBytes,
    int AlertsFiring);

/// <summary>The per-second chart series over 15 minutes (values may be null where nothing was measured).</summary>
internal sealed record DashboardCharts(long[] Seconds, double?[] CheckIns, double?[] P95, double?[] Cpu, double?[] Memory);

internal sealed record MetricsResponse(DateTimeOffset At, DashboardTiles OneMinute, DashboardTiles FiveMinutes, DashboardTiles FifteenMinutes, DashboardCharts Charts, IReadOnlyList<DashboardGate> Gates, DashboardNodes Nodes, IReadOnlyList<MetricSeriesSnapshot> Series);

internal sealed record AlertsResponse(IReadOnlyList<AlertStatus> Alerts, IReadOnlyList<AlertHistoryEntry> History, IReadOnlyList<AlertSilence> Silences, IReadOnlyList<RecoveryAuditEntry> Actions);

/// <summary>One SSE update: the latest tiles, the per-gate tiles (1 minute), the node list, the newest chart point, the alerts not inactive, the last actions.</summary>
internal sealed record LiveUpdate(DateTimeOffset At, DashboardTiles Tiles, IReadOnlyList<DashboardGate> Gates, DashboardNodes Nodes, long Second, double? CheckIns, double? P95, double? Cpu, double? Memory, IReadOnlyList<AlertStatus> Alerts, IReadOnlyList<RecoveryAuditEntry> Actions);

internal sealed record SuggestionsResponse(DateTimeOffset? LastRun, IReadOnlyList<Suggestion> Suggestions);

internal sealed class SilenceBody
{
    public Dictionary<string, string>? Matchers { get; set; }

    public TimeSpan? Duration { get; set; }

    public string? Comment { get; set; }
}

[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull, UseStringEnumConverter = true, NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals)]
[JsonSerializable(typeof(MetricsResponse))]
[JsonSerializable(typeof(AlertsResponse))]
[JsonSerializable(typeof(LiveUpdate))]
[JsonSerializable(typeof(SilenceBody))]
[JsonSerializable(typeof(AlertSilence))]
[JsonSerializable(typeof(SuggestionsResponse))]
internal sealed partial class MonitoringJsonContext : JsonSerializerContext;
