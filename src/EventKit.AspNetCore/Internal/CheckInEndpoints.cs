using System.Threading.RateLimiting;
using EventKit.Internal;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;

namespace EventKit.AspNetCore.Internal;

internal static class CheckInEndpoints
{
    public const string ScannerKeyHeader = "X-Scanner-Key";

    /// <summary>The endpoint name of <c>POST /api/v1/checkins</c>.</summary>
    public const string EndpointName = "EventKit.CheckIn";

    public static async Task<IResult> PostAsync(HttpContext context, ICheckInService checkIns, IOptions<EventKitApiOptions> options, GateRateLimiter limiter, ScannerAuthenticator scanners, AuthenticationFailures failures, CheckInAdmission admission, GateOwnerForwarder owners)
    {
        // First of all: a node at its in-flight limit answers 503 + Retry-After before any key, body, database or Redis work.
        using var slot = await admission.TryEnterAsync(context.RequestAborted).ConfigureAwait(false);
        if (slot is null)
        {
            return admission.Refusal(context);
        }

        var (scanner, refusal) = await AuthenticateAsync(context, options.Value, scanners, failures).ConfigureAwait(false);
        if (refusal is not null)
        {
            return refusal;
        }

        var (body, problem) = await RequestBody.ReadAsync(context.Request, options.Value.MaxCheckInBodyBytes, ApiJsonContext.Default.CheckInBody, context.RequestAborted).ConfigureAwait(false);
        if (problem is not null)
        {
            return problem;
        }

        if (body!.GateId is not { } gateId)
        {
            return Problems.InvalidField("gateId", "gateId is required.");
        }

        if (body.Credential is not { } credential)
        {
            return Problems.InvalidField("credential", "credential is required.");
        }

        if (!TryParseMethod(body.Method, out var method))
        {
            return Problems.InvalidField("method", "method must be one of qr, nfc, manual.");
        }

        if (GateNotAllowed(scanner, gateId) is { } notAllowed)
        {
            return notAllowed;
        }

        // With the gate-owned fast path, only the gate's lease holder decides: another node passes the check-in on (or answers 503).
        if (await owners.RouteCheckInAsync(context, gateId, body).ConfigureAwait(false) is { } routed)
        {
            return routed;
        }

        // Per scanner once authenticated (a bounded set of partitions); per gate when scanner keys are off.
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

    /// <summary>
    /// The scanner key (when required) and the content type, before anything else: an unauthenticated caller costs no
    /// body read, no database and no Redis work, and a cross-site form post gets 415.
    /// </summary>
    public static async ValueTask<(Scanner? Scanner, IResult? Refusal)> AuthenticateAsync(HttpContext context, EventKitApiOptions options, ScannerAuthenticator scanners, AuthenticationFailures failures)
    {
        Scanner? scanner = null;
        if (options.RequireScannerKeys)
        {
            if (failures.IsBlocked(context))
            {
                return (null, Problems.TooManyRequests(TimeSpan.FromMinutes(1), context, "too_many_failed_authentications", "Too many failed authentications.", "This address sent too many wrong keys; retry after the time in Retry-After."));
            }

            var key = context.Request.Headers[ScannerKeyHeader].ToString();
            scanner = await scanners.AuthenticateAsync(key, context.RequestAborted).ConfigureAwait(false);
            if (scanner is null)
            {
                failures.Record(context, "scanner", key.Length == 0 ? "no key" : ScannerKey.TryGetScannerId(key, out _) ? "unknown, revoked or wrong key" : "not in the issued format");
                return (null, Problems.Create(StatusCodes.Status401Unauthorized, "scanner_key_required", "A valid scanner key is required.", $"Send the scanner's API key in the {ScannerKeyHeader} header."));
            }
        }

        return IsJson(context.Request.ContentType)
            ? (scanner, null)
            : (null, Problems.Create(StatusCodes.Status415UnsupportedMediaType, "unsupported_media_type", "Unsupported media type.", "Send the check-in as application/json."));
    }

    /// <summary>403 when an authenticated scanner is not allowed at <paramref name="gateId"/>.</summary>
    public static IResult? GateNotAllowed(Scanner? scanner, long gateId)
        => scanner is not null && !scanner.GateIds.Contains(gateId)
            ? Problems.Create(StatusCodes.Status403Forbidden, "gate_not_allowed", "This scanner may not check in at this gate.", $"The scanner is not allowed at gate {gateId}.", "gateId")
            : null;

    private static bool IsJson(string? contentType)
        => MediaTypeHeaderValue.TryParse(contentType, out var parsed) && string.Equals(parsed.MediaType.Value, "application/json", StringComparison.OrdinalIgnoreCase)
            && (parsed.Charset.Value is null || string.Equals(parsed.Charset.Value, "utf-8", StringComparison.OrdinalIgnoreCase));

    /// <summary>A scanner's method: a wire name of <see cref="CheckInMethod"/> other than <c>ble</c> (BLE arrives through gateway reports).</summary>
    internal static bool TryParseMethod(string? text, out CheckInMethod method)
        => WireNames<CheckInMethod>.TryParse(text, out method) && method != CheckInMethod.Ble;
}
