using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;

namespace EventKit.AspNetCore.Internal;

/// <summary>Scanner keys (admin): issue, rotate, revoke. Keys appear in a response once and are never stored in plain text.</summary>
internal static class ScannerEndpoints
{
    public static async Task<IResult> CreateAsync(HttpContext context, IScannerRegistry registry, IOptions<EventKitOptions> eventKit, IOptions<EventKitApiOptions> options, AuditTrail audit)
    {
        var (body, problem) = await RequestBody.ReadAsync(context.Request, options.Value.MaxManagementBodyBytes, ApiJsonContext.Default.NewScannerBody, context.RequestAborted).ConfigureAwait(false);
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

        if (body.GateIds is not { Length: > 0 and <= 1000 } gateIds || gateIds.Any(id => id <= 0))
        {
            return Problems.InvalidField("gateIds", "gateIds must list 1 to 1,000 gate ids.");
        }

        try
        {
            var registration = await registry.CreateAsync(eventKit.Value.EventId, body.Name, gateIds, context.RequestAborted).ConfigureAwait(false);
            await audit.RecordAsync(context, "scanner.create", "scanner", registration.Scanner.Id, null, AuditTrail.Values(("name", registration.Scanner.Name), ("gateIds", registration.Scanner.GateIds.ToArray()), ("status", "active"))).ConfigureAwait(false);
            Problems.NoStore(context);
            return TypedResults.Json(Response(registration), ApiJsonContext.Default.ScannerKeyResponse, statusCode: StatusCodes.Status201Created);
        }
        catch (UnknownGateException)
        {
            return Problems.Create(StatusCodes.Status404NotFound, "unknown_gate", "Unknown gate.", "A gate in gateIds does not exist.", "gateIds");
        }
    }

    public static async Task<IResult> RotateKeyAsync(long id, HttpContext context, IScannerRegistry registry, ScannerAuthenticator authenticator, IOptions<EventKitOptions> eventKit, AuditTrail audit)
    {
        var registration = await registry.RotateKeyAsync(eventKit.Value.EventId, id, context.RequestAborted).ConfigureAwait(false);
        authenticator.Forget(id);
        if (registration is null)
        {
            return Problems.NotFound("scanner_not_found", $"Scanner {id} does not exist or is revoked.");
        }

        await audit.RecordAsync(context, "scanner.rotate_key", "scanner", id, AuditTrail.Values(("status", "active")), AuditTrail.Values(("status", "active"), ("key", "rotated"))).ConfigureAwait(false);
        Problems.NoStore(context);
        return TypedResults.Json(Response(registration), ApiJsonContext.Default.ScannerKeyResponse);
    }

    public static async Task<IResult> RevokeAsync(long id, HttpContext context, IScannerRegistry registry, ScannerAuthenticator authenticator, IOptions<EventKitOptions> eventKit, AuditTrail audit)
    {
        var revoked = await registry.RevokeAsync(eventKit.Value.EventId, id, context.RequestAborted).ConfigureAwait(false);
        authenticator.Forget(id);
        if (revoked)
        {
            await audit.RecordAsync(context, "scanner.revoke", "scanner", id, AuditTrail.Values(("status", "active")), AuditTrail.Values(("status", "revoked"))).ConfigureAwait(false);
        }

        return revoked ? TypedResults.NoContent() : Problems.NotFound("scanner_not_found", $"Scanner {id} does not exist or is revoked.");
    }

    private static ScannerKeyResponse Response(ScannerRegistration registration)
        => new(registration.Scanner.Id, registration.ApiKey, registration.Scanner.GateIds);
}
