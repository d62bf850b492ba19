using System.Globalization;
using EventKit.Gates.Ble;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;

namespace EventKit.AspNetCore.Internal;

internal static class GatewayEndpoints
{
    public const string KeyHeader = "X-Gateway-Key";

    public static async Task<IResult> RegisterAsync(HttpContext context, IGatewayRegistry registry, IOptions<EventKitOptions> eventKit, IOptions<EventKitApiOptions> options, AuditTrail audit)
    {
        var (body, problem) = await RequestBody.ReadAsync(context.Request, options.Value.MaxManagementBodyBytes, ApiJsonContext.Default.NewGatewayBody, context.RequestAborted).ConfigureAwait(false);
        if (problem is not null)
        {
            return problem;
        }

        if (string.IsNullOrWhiteSpace(body!.Name) || body.Name.Length > 100)
        {
            return Problems.InvalidField("name", "name must be 1 to 100 characters.");
        }

        if (TextRules.Problem("name", body.Name) is { } nameProblem)
        {
            return Problems.InvalidField("name", nameProblem);
        }

        if (body.GateId is not > 0)
        {
            return Problems.InvalidField("gateId", "gateId must be the id of an existing gate.");
        }

        try
        {
            var registration = await registry.RegisterAsync(eventKit.Value.EventId, body.Name, body.GateId.Value, context.RequestAborted).ConfigureAwait(false);
            await audit.RecordAsync(context, "gateway.create", "gateway", registration.Gateway.Id, null, AuditTrail.Values(("name", registration.Gateway.Name), ("gateId", registration.Gateway.GateId), ("status", "active"))).ConfigureAwait(false);
            Problems.NoStore(context);
            return TypedResults.Json(
                new GatewayCreatedResponse(registration.Gateway.Id, registration.Gateway.GateId, registration.ApiKey),
                ApiJsonContext.Default.GatewayCreatedResponse,
                statusCode: StatusCodes.Status201Created);
        }
        catch (UnknownGateException)
        {
            return Problems.Create(StatusCodes.Status404NotFound, "unknown_gate", "Unknown gate.", $"Gate {body.GateId} does not exist.", "gateId");
        }
    }

    public static async Task<IResult> RotateKeyAsync(long id, HttpContext context, IGatewayRegistry registry, RegisteredGateways gateways, IOptions<EventKitOptions> eventKit, AuditTrail audit)
    {
        var registration = await registry.RotateKeyAsync(eventKit.Value.EventId, id, context.RequestAborted).ConfigureAwait(false);
        gateways.Forget(id);
        if (registration is null)
        {
            return Problems.NotFound("gateway_not_found", $"Gateway {id} does not exist or is revoked.");
        }

        await audit.RecordAsync(context, "gateway.rotate_key", "gateway", id, AuditTrail.Values(("status", "active")), AuditTrail.Values(("status", "active"), ("key", "rotated"))).ConfigureAwait(false);
        Problems.NoStore(context);
        return TypedResults.Json(new GatewayCreatedResponse(registration.Gateway.Id, registration.Gateway.GateId, registration.ApiKey), ApiJsonContext.Default.GatewayCreatedResponse);
    }

    public static async Task<IResult> RevokeAsync(long id, HttpContext context, IGatewayRegistry registry, RegisteredGateways gateways, IOptions<EventKitOptions> eventKit, AuditTrail audit)
    {
        var revoked = await registry.RevokeAsync(eventKit.Value.EventId, id, context.RequestAborted).ConfigureAwait(false);
        gateways.Forget(id);
        if (revoked)
        {
            await audit.RecordAsync(context, "gateway.revoke", "gateway", id, AuditTrail.Values(("status", "active")), AuditTrail.Values(("status", "revoked"))).ConfigureAwait(false);
        }

        return revoked ? TypedResults.NoContent() : Problems.NotFound("gateway_not_found", $"Gateway {id} does not exist or is revoked.");
    }

    public static async Task<IResult> ReportAsync(long gatewayId, HttpContext context, RegisteredGateways gateways, IBleReportIngestor ingestor, ReportAdmission admission, AuthenticationFailures failures, GateOwnerForwarder owners)
    {
        if (failures.IsBlocked(context))
        {
            return Problems.TooManyRequests(TimeSpan.FromMinutes(1), context, "too_many_failed_authentications", "Too many failed authentications.", "This address sent too many wrong keys; retry after the time in Retry-After.");
        }

        var key = context.Request.Headers[KeyHeader].ToString();
        if (await gateways.AuthenticateAsync(gatewayId, key, context.RequestAborted).ConfigureAwait(false) is not { } gateId)
        {
            failures.Record(context, "gateway", key.Length == 0 ? "no key" : RegisteredGateways.IsIssuedFormat(key) ? "unknown, revoked or wrong key" : "not in the issued format");
            return Problems.Create(StatusCodes.Status401Unauthorized, "gateway_key_required", "A valid gateway key is required.", $"Send the gateway's API key in the {KeyHeader} header.");
        }

        if (!TryFormat(context.Request.ContentType, out var format))
        {
            return Problems.Create(StatusCodes.Status415UnsupportedMediaType, "unsupported_media_type", "Unsupported report format.", "Send application/json (Ruuvi Gateway), application/x-ndjson or application/vnd.btsnoop.");
        }

        using var slot = admission.TryEnter();
        if (slot is null)
        {
            return Problems.TooManyRequests(TimeSpan.FromSeconds(1), context, "ingestion_busy", "Too many reports in flight.", "The ingestion queue is full; retry after the time in Retry-After.");
        }

        await slot.WaitAsync(context.RequestAborted).ConfigureAwait(false);
        try
        {
            // The processing slot is let go while a read waits for the network, so a slow uploader holds none.
            var body = new SlotReleasingStream(context.Request.Body, slot);
            if (owners.LocalNodeId is { } self)
            {
                context.Response.Headers[GateOwnerForwarder.ProcessedByHeader] = self;
            }

            BleIngestSummary summary;
            if (owners.OwnerUrlFor(context, gateId) is { } owner)
            {
                // Another node owns the gate: it gets the report (buffered, so that it can still be processed here).
                var buffer = new byte[(int)context.Request.ContentLength!.Value];
                await body.ReadExactlyAsync(buffer, context.RequestAborted).ConfigureAwait(false);
                if (await owners.ForwardAsync(context, owner, buffer, key).ConfigureAwait(false) is { } forwarded)
                {
                    return forwarded;
                }

                summary = await ingestor.IngestAsync(gatewayId.ToString(CultureInfo.InvariantCulture), format, buffer, context.RequestAborted).ConfigureAwait(false);
            }
            else
            {
                summary = await ingestor.IngestAsync(gatewayId.ToString(CultureInfo.InvariantCulture), format, body, context.RequestAborted).ConfigureAwait(false);
            }

            return TypedResults.Json(new ReportResponse(summary.Sightings, summary.Resolved, summary.Admitted, summary.Rejected), ApiJsonContext.Default.ReportResponse, statusCode: StatusCodes.Status202Accepted);
        }
        catch (BleReportFormatException e)
        {
            return Problems.Create(StatusCodes.Status400BadRequest, "malformed_report", "The report's envelope is malformed.", e.Message);
        }
    }

    private static bool TryFormat(string? contentType, out BleReportFormat format)
    {
        var mediaType = contentType?.Split(';', 2)[0].Trim();
        (var ok, format) = mediaType switch
        {
            "application/json" => (true, BleReportFormat.RuuviJson),
            "application/x-ndjson" => (true, BleReportFormat.Ndjson),
            "application/vnd.btsnoop" or "application/octet-stream" => (true, BleReportFormat.Btsnoop),
            _ => (false, default),
        };
        return ok;
    }
}
