using EventKit.AspNetCore.Internal;
using EventKit.Internal;
using Microsoft.AspNetCore.Http;

namespace EventKit.AspNetCore;

/// <summary>Turns a <see cref="CheckInResult"/> into the HTTP answer of EventKit's check-in API.</summary>
/// <remarks>
/// The built-in endpoints (<c>POST /api/v1/checkins</c>, <c>POST /api/v1/gates/{gateId}/checkins</c>) answer through this
/// method, so an endpoint of your own that calls <see cref="ICheckInService"/> answers with the same statuses, bodies and
/// problem codes: 201/200 with <c>{ "status", "recordId", "participantId", "gateId", "occurredAt" }</c> on success,
/// RFC 9457 problem details with a stable <c>code</c> otherwise (see docs/check-in.md), and <c>Retry-After</c> on 503.
/// </remarks>
public static class CheckInResultHttpExtensions
{
    /// <summary>The HTTP answer for <paramref name="result"/>.</summary>
    /// <param name="result">A check-in's outcome.</param>
    /// <returns>
    /// 201 (admitted), 200 (duplicate), 404 <c>unknown_credential</c> / <c>unknown_gate</c>, 403 <c>inactive_participant</c>,
    /// 409 <c>gate_closed</c> / <c>event_closed</c> / <c>request_id_reused</c>, 400 <c>invalid_{field}</c>, 503
    /// <c>storage_unavailable</c> with <c>Retry-After</c>.
    /// </returns>
    /// <exception cref="ArgumentNullException"><paramref name="result"/> is <see langword="null"/>.</exception>
    public static IResult ToHttpResult(this CheckInResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        return result.Status switch
        {
            CheckInStatus.Admitted => TypedResults.Json(Response(result), ApiJsonContext.Default.CheckInResponse, statusCode: StatusCodes.Status201Created),
            CheckInStatus.Duplicate => TypedResults.Json(Response(result), ApiJsonContext.Default.CheckInResponse),
            CheckInStatus.UnknownCredential => Problems.Create(StatusCodes.Status404NotFound, result.ErrorCode!, "Unknown credential.", result.Message),
            CheckInStatus.InactiveParticipant => Problems.Create(StatusCodes.Status403Forbidden, result.ErrorCode!, "Participant is not active.", result.Message),
            CheckInStatus.UnknownGate => Problems.Create(StatusCodes.Status404NotFound, result.ErrorCode!, "Unknown gate.", result.Message),
            CheckInStatus.GateClosed => Problems.Create(StatusCodes.Status409Conflict, result.ErrorCode!, "Gate closed.", result.Message),
            CheckInStatus.EventClosed => Problems.Create(StatusCodes.Status409Conflict, result.ErrorCode!, "Event closed.", result.Message),
            CheckInStatus.Invalid => Problems.InvalidField(result.Field!, result.Message!),
            CheckInStatus.Unavailable => new RetryAfterResult(Problems.Unavailable(), result.RetryAfter ?? TimeSpan.FromSeconds(1)),
            CheckInStatus.RequestIdReused => Problems.Create(StatusCodes.Status409Conflict, result.ErrorCode!, "Request id reused.", result.Message, field: "requestId"),
            _ => throw new InvalidOperationException($"Unmapped check-in status {result.Status}."),
        };
    }

    private static CheckInResponse Response(CheckInResult result)
        => new(WireNames<CheckInStatus>.Of(result.Status), result.RecordId, result.ParticipantId, result.GateId, result.OccurredAt);
}
