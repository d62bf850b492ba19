using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;

namespace EventKit.AspNetCore.Internal;

/// <summary>
/// <c>POST /api/v1/gates/{gateId}/checkins</c>: the check-in endpoint with the gate in the path, so a balancer can route
/// by gate (to the gate's owner) without reading bodies. Same body, results and limits as <c>POST /api/v1/checkins</c>;
/// a <c>gateId</c> in the body is optional and must match the path. The scanner key must be allowed at the path's gate.
/// </summary>
internal static class GateCheckInEndpoints
{
    /// <summary>The endpoint name of <c>POST /api/v1/gates/{gateId}/checkins</c>.</summary>
    public const string EndpointName = "EventKit.GateCheckIn";

    public static async Task<IResult> PostAsync(long gateId, HttpContext context, ICheckInService checkIns, IOptions<EventKitApiOptions> options, GateRateLimiter limiter, ScannerAuthenticator scanners, AuthenticationFailures failures, CheckInAdmission admission, GateOwnerForwarder owners)
    {
        // The same in-flight limit as POST /api/v1/checkins (one bound for both routes), before anything else.
        using var slot = await admission.TryEnterAsync(context.RequestAborted).ConfigureAwait(false);
        if (slot is null)
        {
            return admission.Refusal(context);
        }

        // The same scanner key, content type and gate rules as POST /api/v1/checkins, before the body is read.
        var (scanner, refusal) = await CheckInEndpoints.AuthenticateAsync(context, options.Value, scanners, failures).ConfigureAwait(false);
        if (refusal is not null)
        {
            return refusal;
        }

        if (CheckInEndpoints.GateNotAllowed(scanner, gateId) is { } notAllowed)
        {
            return notAllowed;
        }

        var (body, problem) = await RequestBody.ReadAsync(context.Request, options.Value.MaxCheckInBodyBytes, ApiJsonContext.Default.CheckInBody, context.RequestAborted).ConfigureAwait(false);
        if (problem is not null)
        {
            return problem;
        }

        if (body!.GateId is { } bodyGate && bodyGate != gateId)
        {
            return Problems.InvalidField("gateId", "gateId in the body must match the gate in the path.");
        }

        if (body.Credential is not { } credential)
        {
            return Problems.InvalidField("credential", "credential is required.");
        }

        if (!CheckInEndpoints.TryParseMethod(body.Method, out var method))
        {
            return Problems.InvalidField("method", "method must be one of qr, nfc, manual.");
        }

        // With the gate-owned fast path, only the gate's lease holder decides: another node passes the check-in on (or answers 503).
        if (await owners.RouteCheckInAsync(context, gateId, body).ConfigureAwait(false) is { } routed)
        {
            return routed;
        }

        using var lease = limiter.Acquire(scanner?.Id ?? gateId);
        if (!lease.IsAcquired)
        {
            var retryAfter = lease.TryGetMetadata(MetadataName.RetryAfter, out var wait) ? wait : TimeSpan.FromSeconds(1);
            return Problems.TooManyRequests(retryAfter, context, "rate_limited", "Too many check-ins from this gate.", "Slow down and retry after the time in Retry-After.");
        }

        var result = await checkIns.CheckInAsync(CheckInRequest.ForToken(gateId, credential, method, body.OccurredAt, body.RequestId), context.RequestAborted).ConfigureAwait(false);
        if (result.Status == CheckInStatus.Unavailable)
        {
            admission.RecordStorageUnavailable();
        }

        return result.ToHttpResult();
    }
}
