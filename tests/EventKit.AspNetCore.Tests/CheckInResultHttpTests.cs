using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace EventKit.AspNetCore.Tests;

/// <summary>CheckInResult.ToHttpResult(): the built-in endpoints' statuses and problem codes, for endpoints of one's own.</summary>
public sealed class CheckInResultHttpTests
{
    [Theory]
    [InlineData(CheckInStatus.UnknownCredential, 404, "unknown_credential")]
    [InlineData(CheckInStatus.InactiveParticipant, 403, "inactive_participant")]
    [InlineData(CheckInStatus.UnknownGate, 404, "unknown_gate")]
    [InlineData(CheckInStatus.GateClosed, 409, "gate_closed")]
    [InlineData(CheckInStatus.EventClosed, 409, "event_closed")]
    [InlineData(CheckInStatus.RequestIdReused, 409, "request_id_reused")]
    public async Task Refusals_become_problem_details_with_the_api_code(CheckInStatus status, int expectedStatus, string code)
    {
        var result = status switch
        {
            CheckInStatus.UnknownCredential => CheckInResult.UnknownCredential(7),
            CheckInStatus.InactiveParticipant => CheckInResult.InactiveParticipant(7, 3, ParticipantStatus.Suspended),
            CheckInStatus.UnknownGate => CheckInResult.UnknownGate(7),
            CheckInStatus.GateClosed => CheckInResult.GateClosed(7),
            CheckInStatus.EventClosed => CheckInResult.EventClosed(7),
            _ => CheckInResult.RequestIdReused(7),
        };

        var (http, body) = await ExecuteAsync(result.ToHttpResult());

        Assert.Equal(expectedStatus, http.Response.StatusCode);
        Assert.StartsWith("application/problem+json", http.Response.ContentType);
        Assert.Equal(code, body.GetProperty("code").GetString());
        Assert.Equal("urn:eventkit:problem:" + code, body.GetProperty("type").GetString());
    }

    [Fact]
    public async Task Admissions_are_201_with_the_api_body_and_duplicates_200()
    {
        var record = AttendanceRecord.Create(1, 5, 7, CheckInMethod.Qr, AttendanceDirection.In, DateTimeOffset.UtcNow);
        var (admitted, body) = await ExecuteAsync(CheckInResult.Admitted(record).ToHttpResult());
        Assert.Equal(201, admitted.Response.StatusCode);
        Assert.Equal("admitted", body.GetProperty("status").GetString());
        Assert.Equal(record.Id, body.GetProperty("recordId").GetGuid());

        var (duplicate, again) = await ExecuteAsync(CheckInResult.Duplicate(record.Id, 5, 7, record.OccurredAt).ToHttpResult());
        Assert.Equal(200, duplicate.Response.StatusCode);
        Assert.Equal("duplicate", again.GetProperty("status").GetString());
    }

    [Fact]
    public async Task Unavailable_is_503_with_retry_after_and_invalid_is_400_naming_the_field()
    {
        var (unavailable, problem) = await ExecuteAsync(CheckInResult.Unavailable(7, TimeSpan.FromSeconds(2.5)).ToHttpResult());
        Assert.Equal(503, unavailable.Response.StatusCode);
        Assert.Equal("3", unavailable.Response.Headers.RetryAfter.ToString());
        Assert.Equal("storage_unavailable", problem.GetProperty("code").GetString());

        var (invalid, field) = await ExecuteAsync(CheckInResult.Invalid(7, "occurredAt", "too old").ToHttpResult());
        Assert.Equal(400, invalid.Response.StatusCode);
        Assert.Equal("invalid_occurredAt", field.GetProperty("code").GetString());
        Assert.Equal("occurredAt", field.GetProperty("field").GetString());
    }

    private static async Task<(HttpContext Context, JsonElement Body)> ExecuteAsync(IResult result)
    {
        var context = new DefaultHttpContext { RequestServices = new ServiceCollection().AddLogging().AddProblemDetails().BuildServiceProvider() };
        using var stream = new MemoryStream();
        context.Response.Body = stream;
        await result.ExecuteAsync(context);
        return (context, JsonDocument.Parse(stream.ToArray()).RootElement.Clone());
    }
}
