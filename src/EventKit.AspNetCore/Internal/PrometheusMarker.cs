namespace EventKit.AspNetCore.Internal;

/// <summary>Registered by <c>AddPrometheusMetrics()</c>: tells <c>MapEventKitApi()</c> to map <c>/metrics</c>.</summary>
internal sealed class PrometheusMarker;
