using EventKit.AspNetCore.Internal;
using EventKit.Gates.Ble;
using EventKit.Monitoring;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace EventKit.AspNetCore;

/// <summary>Maps EventKit's HTTP API.</summary>
public static class EventKitEndpointRouteBuilderExtensions
{
    /// <summary>
    /// Maps the check-in API of EventKit: <c>POST /api/v1/checkins</c> (and <c>POST /api/v1/gates/{gateId}/checkins</c>, the same with the gate in the path), the reads under <c>/api/v1</c>,
    /// the management endpoints (admin key), <c>/health/live</c>, <c>/health/ready</c> (status open, details with the key),
    /// and with EventKit.Monitoring <c>/eventkit/metrics</c>, <c>/eventkit/alerts</c>, <c>/eventkit/suggestions</c>, <c>/eventkit/events</c>, <c>/eventkit/dashboard</c>.
    /// </summary>
    /// <param name="endpoints">The app or a route group.</param>
    /// <returns>A group builder for all EventKit endpoints, to add metadata or filters.</returns>
    /// <remarks>Call <c>builder.Services.AddEventKit().AddHttpApi(...)</c> first.</remarks>
    public static RouteGroupBuilder MapEventKitApi(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        if (endpoints.ServiceProvider.GetService(typeof(AdminKeyFilter)) is null)
        {
            throw new InvalidOperationException("Call services.AddEventKit().AddHttpApi(...) before MapEventKitApi().");
        }

        if (endpoints.ServiceProvider.GetService(typeof(IOptions<EventKitApiOptions>)) is IOptions<EventKitApiOptions> { Value.RequireScannerKeys: false }
            && endpoints.ServiceProvider.GetService(typeof(ILoggerFactory)) is ILoggerFactory loggers)
        {
            Log.ScannerKeysOff(loggers.CreateLogger("EventKit.AspNetCore"));
        }

        if (endpoints.ServiceProvider.GetService(typeof(CredentialHasher)) is CredentialHasher { IsPeppered: false }
            && endpoints.ServiceProvider.GetService(typeof(ILoggerFactory)) is ILoggerFactory factory)
        {
            Log.UnpepperedCredentials(factory.CreateLogger("EventKit.AspNetCore"));
        }

        var root = endpoints.MapGroup("");
        root.AddSingletonFilter<RouteGroupBuilder, OutageFilter>();

        // With EventKit.Scaling, nodes heartbeat in-flight and p95 per request type for balancers and the autoscaler.
        if (endpoints.ServiceProvider.GetService(typeof(EventKit.Scaling.INodeRegistry)) is not null)
        {
            root.AddSingletonFilter<RouteGroupBuilder, RequestLoadTracker>();
        }

        var api = root.MapGroup("/api/v1");
        api.MapPost("/checkins", CheckInEndpoints.PostAsync).WithName(CheckInEndpoints.EndpointName);
        api.MapPost("/gates/{gateId:long}/checkins", GateCheckInEndpoints.PostAsync).WithName(GateCheckInEndpoints.EndpointName);

        var admin = api.MapGroup("").AddSingletonFilter<RouteGroupBuilder, AdminKeyFilter>();
        admin.MapGet("/participants/{id:long}", ReadEndpoints.GetParticipantAsync);
        admin.MapGet("/participants", ReadEndpoints.GetManyAsync);
        admin.MapGet("/participants/search", ReadEndpoints.SearchAsync);
        admin.MapGet("/attendance", ReadEndpoints.GetAttendanceAsync);
        admin.MapGet("/stats/gates", ReadEndpoints.GetGateStatsAsync);
        admin.MapGet("/stats/overall", ReadEndpoints.GetOverallStatsAsync);
        admin.MapPost("/gates", ManagementEndpoints.CreateGateAsync);
        admin.MapPatch("/gates/{id:long}", ManagementEndpoints.PatchGateAsync);
        admin.MapGet("/gates", ListingEndpoints.GatesAsync);
        admin.MapGet("/event", EventEndpoints.GetAsync);
        admin.MapPut("/event", EventEndpoints.PutAsync);
        admin.MapPost("/participants", ManagementEndpoints.ImportParticipantsAsync);
        admin.MapPatch("/participants/{id:long}", ManagementEndpoints.PatchParticipantAsync);
        admin.MapPost("/scanners", ScannerEndpoints.CreateAsync);
        admin.MapPost("/scanners/{id:long}/rotate-key", ScannerEndpoints.RotateKeyAsync);
        admin.MapDelete("/scanners/{id:long}", ScannerEndpoints.RevokeAsync);
        admin.MapGet("/audit", AuditEndpoints.ReadAsync);

        // BLE endpoints exist when the BLE package is added (.AddBleGates()).
        if (endpoints.ServiceProvider.GetService(typeof(IBleReportIngestor)) is not null)
        {
            admin.MapPost("/participants/{id:long}/ble-key", ManagementEndpoints.ProvisionBleKeyAsync);
            admin.MapPost("/gateways", GatewayEndpoints.RegisterAsync);
            admin.MapPost("/gateways/{id:long}/rotate-key", GatewayEndpoints.RotateKeyAsync);
            admin.MapDelete("/gateways/{id:long}", GatewayEndpoints.RevokeAsync);
            admin.MapGet("/gateways", ListingEndpoints.GatewaysAsync);
            admin.MapPost("/gates/{gateId:long}/ble-replay", BleReplayEndpoints.ReplayAsync);
            api.MapPost("/gateways/{gatewayId:long}/reports", GatewayEndpoints.ReportAsync);
        }
        else
        {
            // Without .AddBleGates() the same routes answer a problem that says so (not a bare 404), and start-up logs it once.
            if (endpoints.ServiceProvider.GetService(typeof(ILoggerFactory)) is ILoggerFactory loggerFactory)
            {
                Log.BleGatesNotAdded(loggerFactory.CreateLogger("EventKit.AspNetCore"));
            }

            admin.MapPost("/participants/{id:long}/ble-key", BleGatesMissing.Answer);
            admin.MapMethods("/gateways", ["GET", "POST"], BleGatesMissing.Answer);
            admin.MapPost("/gateways/{id:long}/rotate-key", BleGatesMissing.Answer);
            admin.MapDelete("/gateways/{id:long}", BleGatesMissing.Answer);
            admin.MapPost("/gates/{gateId:long}/ble-replay", BleGatesMissing.Answer);
            api.MapPost("/gateways/{gatewayId:long}/reports", BleGatesMissing.Answer);
        }

        root.MapGet("/health/live", HealthEndpoints.Live);
        root.MapGet("/health/ready", ReadinessEndpoint.ReadyAsync);

        // Monitoring endpoints exist when the monitoring package is added (.AddMonitoring()).
        if (endpoints.ServiceProvider.GetService(typeof(IMetricsMonitor)) is not null)
        {
            MonitoringEndpoints.Map(root);
        }

        MonitoringEndpoints.MapPrometheus(endpoints);

        return root;
    }

    /// <summary>Requires EventKit's admin key (<c>X-Admin-Key</c>, <see cref="EventKitApiOptions.AdminKey"/>) on the host's own endpoints.</summary>
    /// <typeparam name="TBuilder">The endpoint convention builder.</typeparam>
    /// <param name="builder">An endpoint or group.</param>
    /// <returns>The builder.</returns>
    public static TBuilder RequireEventKitAdminKey<TBuilder>(this TBuilder builder)
        where TBuilder : IEndpointConventionBuilder
    {
        ArgumentNullException.ThrowIfNull(builder);
        return builder.AddSingletonFilter<TBuilder, AdminKeyFilter>();
    }
}
