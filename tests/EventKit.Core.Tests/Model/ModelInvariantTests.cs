namespace EventKit.Core.Tests.Model;

public sealed class ModelInvariantTests
{
    private static readonly DateTimeOffset Noon = new(2026, 11, 21, 12, 0, 0, TimeSpan.FromHours(9));

    [Fact]
    public void Attendance_record_ids_are_uuid_v7_stamped_with_the_time_it_occurred()
    {
        var record = AttendanceRecord.Create(1, 2, 3, CheckInMethod.Qr, AttendanceDirection.In, Noon);

        Assert.Equal(7, record.Id.Version);
        var bytes = record.Id.ToByteArray(bigEndian: true);
        var unixMs = ((long)bytes[0] << 40) | ((long)bytes[1] << 32) | ((long)bytes[2] << 24) | ((long)bytes[3] << 16) | ((long)bytes[4] << 8) | bytes[5];
        Assert.Equal(Noon.ToUnixTimeMilliseconds(), unixMs);
    }

    [Fact]
    public void Attendance_record_times_are_normalised_to_utc()
    {
        var record = AttendanceRecord.Create(1, 2, 3, CheckInMethod.Nfc, AttendanceDirection.In, Noon);
        Assert.Equal(TimeSpan.Zero, record.OccurredAt.Offset);
        Assert.Equal(Noon, record.OccurredAt);
    }

    [Fact]
    public void Records_created_in_sequence_sort_by_time()
    {
        var earlier = AttendanceRecord.Create(1, 2, 3, CheckInMethod.Qr, AttendanceDirection.In, Noon);
        var later = AttendanceRecord.Create(1, 2, 3, CheckInMethod.Qr, AttendanceDirection.In, Noon.AddMilliseconds(1));
        Assert.True(earlier.Id.CompareTo(later.Id) < 0);
    }

    [Theory]
    [InlineData(0L, 1L, 1L)]
    [InlineData(1L, -5L, 1L)]
    [InlineData(1L, 1L, 0L)]
    public void Attendance_record_ids_must_be_positive(long eventId, long participantId, long gateId)
        => Assert.Throws<ArgumentOutOfRangeException>(() => AttendanceRecord.Create(eventId, participantId, gateId, CheckInMethod.Qr, AttendanceDirection.In, Noon));

    [Fact]
    public void Attendance_record_rejects_empty_ids_and_undefined_enums()
    {
        Assert.Throws<ArgumentException>(() => new AttendanceRecord(Guid.Empty, 1, 1, 1, CheckInMethod.Qr, AttendanceDirection.In, Noon));
        Assert.Throws<ArgumentException>(() => AttendanceRecord.Create(1, 1, 1, CheckInMethod.Qr, AttendanceDirection.In, Noon, requestId: Guid.Empty));
        Assert.Throws<ArgumentOutOfRangeException>(() => AttendanceRecord.Create(1, 1, 1, (CheckInMethod)42, AttendanceDirection.In, Noon));
    }

    [Fact]
    public void Participant_rules()
    {
        Assert.Throws<ArgumentException>(() => new Participant(1, 1, " "));
        Assert.Throws<ArgumentException>(() => new Participant(1, 1, new string('n', Participant.MaxNameLength + 1)));
        Assert.Throws<ArgumentException>(() => new Participant(1, 1, "Kim", email: new string('e', Participant.MaxEmailLength + 1)));
        Assert.Throws<ArgumentOutOfRangeException>(() => new Participant(1, 1, "Kim", status: (ParticipantStatus)9));

        var kim = new Participant(7, 1, "Kim Min-jun", "kim@example.org");
        Assert.True(kim.IsActive);
        Assert.False((kim with { Status = ParticipantStatus.Suspended }).IsActive);
        Assert.False((kim with { Status = ParticipantStatus.Revoked }).IsActive);
    }

    [Fact]
    public void Exit_gates_record_out_and_other_gates_record_in()
    {
        Assert.Equal(AttendanceDirection.Out, new Gate(1, 1, "North exit", GateKind.Exit).Direction);
        Assert.Equal(AttendanceDirection.In, new Gate(2, 1, "Main hall", GateKind.Entrance).Direction);
        Assert.Equal(AttendanceDirection.In, new Gate(3, 1, "Room 101", GateKind.Session).Direction);
        Assert.False((new Gate(1, 1, "A") with { IsOpen = false }).IsOpen);
    }

    [Fact]
    public void Event_cannot_end_before_it_starts()
    {
        Assert.Throws<ArgumentException>(() => new EventDetails(1, "Conf", Noon, Noon.AddSeconds(-1)));
        Assert.Equal(Noon, new EventDetails(1, "Conf", Noon, Noon.AddDays(2)).StartsAt);
    }

    [Fact]
    public void Ble_identity_rules_and_no_key_in_its_text()
    {
        var key = Enumerable.Range(0, 16).Select(i => (byte)(0xA0 + i)).ToArray();
        Assert.Throws<ArgumentException>(() => new BleIdentity(1, key.AsSpan(0, 15)));
        Assert.Throws<ArgumentOutOfRangeException>(() => new BleIdentity(1, key, rotationExponent: 16));

        var identity = new BleIdentity(5, key);
        Assert.Equal(BleIdentity.DefaultRotationExponent, identity.RotationExponent);
        Assert.Equal(new BleIdentity(5, key), identity);
        key[0] = 0; // the identity copied the key
        Assert.Equal(0xA0, identity.IdentityKey.Span[0]);
        Assert.DoesNotContain("A0", identity.ToString(), StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void Secrets_do_not_appear_in_request_text()
    {
        var request = CheckInRequest.ForToken(3, "super-secret-token");
        Assert.DoesNotContain("super-secret", request.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain("secret", new NewParticipant("Kim", "secret-token").ToString(), StringComparison.Ordinal);
    }
}

public sealed class AttendanceRecordPrecisionTests
{
    [Fact]
    public void Occurred_at_keeps_microseconds_like_postgresql()
    {
        var at = new DateTimeOffset(2026, 11, 21, 9, 0, 0, TimeSpan.Zero).AddTicks(1_234_567);
        var record = AttendanceRecord.Create(1, 1, 1, CheckInMethod.Qr, AttendanceDirection.In, at);
        Assert.Equal(at.AddTicks(-7), record.OccurredAt);
    }
}
