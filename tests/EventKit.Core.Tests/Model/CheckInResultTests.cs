namespace EventKit.Core.Tests.Model;

public sealed class CheckInResultTests
{
    [Fact]
    public void Admitted_carries_the_record()
    {
        var record = AttendanceRecord.Create(1, 2, 3, CheckInMethod.Qr, AttendanceDirection.In, DateTimeOffset.UnixEpoch.AddYears(56));
        var result = CheckInResult.Admitted(record);
        Assert.Equal(CheckInStatus.Admitted, result.Status);
        Assert.Equal(record.Id, result.RecordId);
        Assert.Equal(2, result.ParticipantId);
        Assert.Equal(3, result.GateId);
        Assert.True(result.IsSuccess);
        Assert.Null(result.ErrorCode);
    }

    [Fact]
    public void Duplicate_points_at_the_first_record()
    {
        var first = Guid.CreateVersion7();
        var result = CheckInResult.Duplicate(first, 2, 3, DateTimeOffset.UnixEpoch);
        Assert.Equal(first, result.RecordId);
        Assert.True(result.IsSuccess);
        Assert.Throws<ArgumentException>(() => CheckInResult.Duplicate(Guid.Empty, 2, 3, DateTimeOffset.UnixEpoch));
    }

    [Fact]
    public void Failures_have_the_stable_codes_of_the_http_api()
    {
        Assert.Equal("unknown_credential", CheckInResult.UnknownCredential(1).ErrorCode);
        Assert.Equal("inactive_participant", CheckInResult.InactiveParticipant(1, 2, ParticipantStatus.Revoked).ErrorCode);
        Assert.Equal("unknown_gate", CheckInResult.UnknownGate(1).ErrorCode);
        Assert.Equal("gate_closed", CheckInResult.GateClosed(1).ErrorCode);
        var invalid = CheckInResult.Invalid(1, "occurredAt", "too far in the future");
        Assert.Equal("occurredAt", invalid.Field);
        Assert.Equal("invalid_occurredAt", invalid.ErrorCode);
        Assert.False(invalid.IsSuccess);
        Assert.Equal(TimeSpan.FromSeconds(2), CheckInResult.Unavailable(1, TimeSpan.FromSeconds(2)).RetryAfter);
        Assert.Contains("revoked", CheckInResult.InactiveParticipant(1, 2, ParticipantStatus.Revoked).Message, StringComparison.Ordinal);
    }
}

public sealed class CheckInResultRehydrateTests
{
    [Fact]
    public void Stored_answers_rehydrate_equal()
    {
        var record = AttendanceRecord.Create(1, 2, 3, CheckInMethod.Qr, AttendanceDirection.In, DateTimeOffset.UnixEpoch.AddYears(56));
        var admitted = CheckInResult.Admitted(record);
        Assert.Equal(admitted, CheckInResult.Rehydrate(admitted.Status, admitted.GateId, admitted.RecordId, admitted.ParticipantId, admitted.OccurredAt));

        var duplicate = CheckInResult.Duplicate(record.Id, 2, 3, record.OccurredAt);
        Assert.Equal(duplicate, CheckInResult.Rehydrate(duplicate.Status, 3, record.Id, 2, record.OccurredAt));
        Assert.Equal(CheckInResult.GateClosed(3), CheckInResult.Rehydrate(CheckInStatus.GateClosed, 3, null, null, null));
        var inactive = CheckInResult.InactiveParticipant(3, 2, ParticipantStatus.Revoked);
        Assert.Equal(inactive, CheckInResult.Rehydrate(inactive.Status, 3, null, 2, null, ParticipantStatus.Revoked));
    }

    [Fact]
    public void Unstorable_answers_are_refused()
    {
        Assert.Throws<ArgumentException>(() => CheckInResult.Rehydrate(CheckInStatus.Unavailable, 3, null, null, null));
        Assert.Throws<ArgumentException>(() => CheckInResult.Rehydrate(CheckInStatus.Admitted, 3, null, 2, null));
        Assert.Throws<ArgumentException>(() => CheckInResult.Rehydrate(CheckInStatus.InactiveParticipant, 3, null, 2, null));
    }
}
