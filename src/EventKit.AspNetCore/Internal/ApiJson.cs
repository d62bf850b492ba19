// One file on purpose: these are the wire shapes of ApiJsonContext, a few lines each, read together with the context that
// serializes them and docs/check-in.md (CONVENTIONS: a rule that makes a file worse is broken with a reason).
using System.Text.Json;
using System.Text.Json.Serialization;

namespace EventKit.AspNetCore.Internal;

internal sealed class CheckInBody
{
    public long? GateId { get; set; }

    public string? Credential { get; set; }

    public string? Method { get; set; }

    public DateTimeOffset? OccurredAt { get; set; }

    public Guid? RequestId { get; set; }
}

internal sealed record CheckInResponse(string Status, Guid? RecordId, long? ParticipantId, long GateId, DateTimeOffset? OccurredAt);

internal sealed class NewGateBody
{
    public string? Name { get; set; }

    public string? Kind { get; set; }

    public bool? Open { get; set; }
}

internal sealed class GatePatchBody
{
    public bool? Open { get; set; }
}

internal sealed record GateResponse(long Id, long EventId, string Name, string Kind, bool Open);

internal sealed record CreatedResponse(long Id);

internal sealed class NewParticipantBody
{
    public string? ExternalRef { get; set; }

    public string? Name { get; set; }

    public string? Email { get; set; }

    public string? Credential { get; set; }

    public string? Status { get; set; }
}

internal sealed record ImportResponse(int Created, IReadOnlyList<long> Ids);

internal sealed class ParticipantPatchBody
{
    public string? Status { get; set; }

    public string? Credential { get; set; }
}

internal sealed record AttendanceSummaryResponse(long Count, DateTimeOffset? First, DateTimeOffset? Last);

internal sealed record ParticipantResponse(long Id, long EventId, string Name, string? Email, string Status, string? ExternalRef, AttendanceSummaryResponse? Attendance);

internal sealed record ParticipantPageResponse(IReadOnlyList<ParticipantResponse> Items, string? NextCursor);

internal sealed record AttendanceRecordResponse(Guid Id, long ParticipantId, long GateId, string Method, string Direction, DateTimeOffset OccurredAt, string CredentialKind);

internal sealed record AttendancePageResponse(IReadOnlyList<AttendanceRecordResponse> Items, string? NextCursor);

internal sealed record GateCountResponse(long GateId, long Count);

internal sealed record OverallStatsResponse(long Admissions, int Gates, int OpenGates, long[] ActiveGates, DateTimeOffset Since, DateTimeOffset AsOf);

internal sealed record BleKeyResponse(string IdentityKey, int RotationExponent, uint ClockOffset);

internal sealed class NewGatewayBody
{
    public string? Name { get; set; }

    public long? GateId { get; set; }
}

internal sealed record GatewayCreatedResponse(long Id, long GateId, string ApiKey);

internal sealed record ReportResponse(int Sightings, int Resolved, int Admitted, int Rejected);

internal sealed class NewScannerBody
{
    public string? Name { get; set; }

    public long[]? GateIds { get; set; }
}

internal sealed record ScannerKeyResponse(long Id, string ApiKey, IReadOnlyList<long> GateIds);

internal sealed record HealthEntryResponse(string Status, string? Description, double DurationMs);

internal sealed record HealthResponse(string Status, IReadOnlyDictionary<string, HealthEntryResponse> Checks);

// Strict numbers: Web defaults read "1" as 1, but a mistyped field must be a 400 naming it (the docs promise so).
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull, NumberHandling = JsonNumberHandling.Strict)]
[JsonSerializable(typeof(CheckInBody))]
[JsonSerializable(typeof(CheckInResponse))]
[JsonSerializable(typeof(NewGateBody))]
[JsonSerializable(typeof(GatePatchBody))]
[JsonSerializable(typeof(GateResponse))]
[JsonSerializable(typeof(CreatedResponse))]
[JsonSerializable(typeof(NewParticipantBody[]))]
[JsonSerializable(typeof(ImportResponse))]
[JsonSerializable(typeof(ParticipantPatchBody))]
[JsonSerializable(typeof(ParticipantResponse))]
[JsonSerializable(typeof(ParticipantResponse[]))]
[JsonSerializable(typeof(ParticipantPageResponse))]
[JsonSerializable(typeof(AttendancePageResponse))]
[JsonSerializable(typeof(GateCountResponse[]))]
[JsonSerializable(typeof(OverallStatsResponse))]
[JsonSerializable(typeof(BleKeyResponse))]
[JsonSerializable(typeof(HealthResponse))]
[JsonSerializable(typeof(NewGatewayBody))]
[JsonSerializable(typeof(GatewayCreatedResponse))]
[JsonSerializable(typeof(ReportResponse))]
[JsonSerializable(typeof(NewScannerBody))]
[JsonSerializable(typeof(ScannerKeyResponse))]
internal sealed partial class ApiJsonContext : JsonSerializerContext;
