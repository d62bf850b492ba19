using EventKit.Gates.Ble;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;

namespace EventKit.AspNetCore.Internal;

/// <summary>
/// <c>POST /api/v1/gates/{gateId}/ble-replay[?write=true]</c> (admin key): a btsnoop capture replayed through the gate's
/// detection rules, shifted to end now; check-ins are written only with <c>write=true</c>.
/// </summary>
internal static class BleReplayEndpoints
{
    public static async Task<IResult> ReplayAsync(long gateId, bool? write, HttpContext context, IGateDirectory gates, IOptions<BleGateOptions> ble)
    {
        if (await gates.GetAsync(gateId, context.RequestAborted).ConfigureAwait(false) is null)
        {
            return Problems.NotFound(CheckInErrorCodes.UnknownGate, $"Gate {gateId} does not exist.");
        }

        var limit = ble.Value.MaxReportBytes;
        using var buffer = new MemoryStream();
        var chunk = new byte[64 * 1024];
        int read;
        while ((read = await context.Request.Body.ReadAsync(chunk, context.RequestAborted).ConfigureAwait(false)) > 0)
        {
            if (buffer.Length + read > limit)
            {
                return Problems.BodyTooLarge(limit);
            }

            buffer.Write(chunk, 0, read);
        }

        try
        {
            var report = await BleCaptureReplayer.Create(context.RequestServices).ReplayAsync(buffer.GetBuffer().AsMemory(0, (int)buffer.Length), gateId, write ?? false, context.RequestAborted).ConfigureAwait(false);
            return TypedResults.Json(
                new BleReplayResponse(report.Records, report.Adverts, report.Resolved, report.Refused, report.Ignored, report.Enters, report.Exits, report.CloneSuspicions, report.Admitted, report.Shift.TotalSeconds, report.Truncated, write ?? false),
                ManagementJsonContext.Default.BleReplayResponse);
        }
        catch (BleReportFormatException e)
        {
            return Problems.Create(StatusCodes.Status400BadRequest, "malformed_capture", "The body is not a btsnoop capture EventKit reads.", e.Message);
        }
    }
}
