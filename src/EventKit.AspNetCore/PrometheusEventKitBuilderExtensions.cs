using EventKit.AspNetCore.Internal;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry.Metrics;

namespace EventKit;

/// <summary>Adds an opt-in Prometheus scrape endpoint (<c>GET /metrics</c>) to EventKit's HTTP API.</summary>
public static class PrometheusEventKitBuilderExtensions
{
    /// <summary>The meters exported: EventKit's, ASP.NET Core's, Kestrel's, Npgsql's, the runtime's and resource monitoring's.</summary>
    public static IReadOnlyList<string> ExportedMeters { get; } =
    [
        .. EventKitDiagnostics.All,
        "Microsoft.AspNetCore.Hosting",
        "Microsoft.AspNetCore.Server.Kestrel",
        "Npgsql",
        "System.Runtime",
        "Microsoft.Extensions.Diagnostics.ResourceMonitoring",
    ];

    /// <summary>
    /// Exports <see cref="ExportedMeters"/> in Prometheus' text format through OpenTelemetry's exporter;
    /// <c>MapEventKitApi()</c> then maps <c>GET /metrics</c> (open, like the health status: scrapers carry no admin key).
    /// </summary>
    /// <param name="builder">The EventKit builder.</param>
    /// <returns>The builder.</returns>
    public static IEventKitBuilder AddPrometheusMetrics(this IEventKitBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var services = builder.Services;
        if (services.Any(static d => d.ServiceType == typeof(PrometheusMarker)))
        {
            return builder;
        }

        services.AddSingleton<PrometheusMarker>();
        services.AddOpenTelemetry().WithMetrics(static metrics => metrics.AddMeter([.. ExportedMeters]).AddPrometheusExporter());
        return builder;
    }
}
