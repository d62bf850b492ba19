using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;

namespace EventKit.AspNetCore.Internal;

internal static class CheckInEndpoints
{
    public static async Task<IResult> PostAsync(HttpContext context, ICheckInService checkIns, IOptions<EventKitApiOptions> options, GateRateLimiter limiter)
    {
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

        using var lease = limiter.Acquire(gateId);
        if (!lease.IsAcquired)
        {
            var retryAfter = lease.TryGetMetadata(MetadataName.RetryAfter, out var wait) ? wait : TimeSpan.FromSeconds(1);
            return Problems.TooManyRequests(retryAfter, context, "rate_limited", "Too many check-ins from this gate.", "Slow down and retry after the time in Retry-After.");
        }

        var result = await checkIns.CheckInAsync(CheckInRequest.ForToken(gateId, credential, method, body.OccurredAt, body.RequestId), context.RequestAborted).ConfigureAwait(false);
        return ToHttp(result, context);
    }

    public static IResult ToHttp(CheckInResult result, HttpContext context) => result.Status switch
    {
        CheckInStatus.Admitted => TypedResults.Json(Response(result, "admitted"), ApiJsonContext.Default.CheckInResponse, statusCode: StatusCodes.Status201Created),
        CheckInStatus.Duplicate => TypedResults.Json(Response(result, "duplicate"), ApiJsonContext.Default.CheckInResponse),
        CheckInStatus.UnknownCredential => Problems.Create(StatusCodes.Status404NotFound, result.ErrorCode!, "Unknown credential.", result.Message),
        CheckInStatus.InactiveParticipant => Problems.Create(StatusCodes.Status403Forbidden, result.ErrorCode!, "Participant is not active.", result.Message),
        CheckInStatus.UnknownGate => Problems.Create(StatusCodes.Status404NotFound, result.ErrorCode!, "Unknown gate.", result.Message),
        CheckInStatus.GateClosed => Problems.Create(StatusCodes.Status409Conflict, result.ErrorCode!, "Gate closed.", result.Message),
        CheckInStatus.Invalid => Problems.InvalidField(result.Field!, result.Message!),
        CheckInStatus.Unavailable => Problems.Unavailable(result.RetryAfter ?? TimeSpan.FromSeconds(1), context),
        CheckInStatus.RequestIdReused => Problems.Create(StatusCodes.Status409Conflict, result.ErrorCode!, "Request id reused.", result.Message, field: "requestId"),
        _ => throw new InvalidOperationException($"Unmapped check-in status {result.Status}."),
    };

    private static CheckInResponse Response(CheckInResult result, string status)
        => new(status, result.RecordId, result.ParticipantId, result.GateId, result.OccurredAt);

    private static bool TryParseMethod(string? text, out CheckInMethod method)
    {
        switch (text)
        {
            case "qr": method = CheckInMethod.Qr; return true;
            case "nfc": method = CheckInMethod.Nfc; return true;
            case "manual": method = CheckInMethod.Manual; return true;
            default: method = default; return false;
        }
    }
}

/// <summary>A token bucket per gate, so one runaway scanner cannot starve the others.</summary>
internal sealed class GateRateLimiter : IDisposable
{
    private static readonly RateLimitLease Unlimited = new UnlimitedLease();
    private readonly PartitionedRateLimiter<long>? _limiter;

    public GateRateLimiter(IOptions<EventKitApiOptions> options)
    {
        var o = options.Value;
        if (o.GateRateLimitPerSecond > 0)
        {
            _limiter = PartitionedRateLimiter.Create<long, long>(gate => RateLimitPartition.GetTokenBucketLimiter(gate, _ => new TokenBucketRateLimiterOptions
            {
                TokenLimit = o.GateRateLimitBurst,
                TokensPerPeriod = o.GateRateLimitPerSecond,
                ReplenishmentPeriod = TimeSpan.FromSeconds(1),
                QueueLimit = 0,
                AutoReplenishment = true,
            }));
        }
    }

    public RateLimitLease Acquire(long gateId) => _limiter?.AttemptAcquire(gateId) ?? Unlimited;

    public void Dispose() => _limiter?.Dispose();

    private sealed class UnlimitedLease : RateLimitLease
    {
        public override bool IsAcquired => true;

        public override IEnumerable<string> MetadataNames => [];

        public override bool TryGetMetadata(string metadataName, out object? metadata)
        {
            metadata = null;
            return false;
        }
    }
}
