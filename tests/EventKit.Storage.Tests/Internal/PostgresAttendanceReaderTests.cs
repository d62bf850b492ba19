namespace EventKit.Storage.Tests.Internal;

public sealed class PostgresAttendanceReaderTests(StorageFixture fixture) : IClassFixture<StorageFixture>
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 21, 8, 0, 0, TimeSpan.Zero);

    private IAttendanceReader Reader => fixture.Reader;

    [Fact]
    public async Task Pages_a_participants_records_newest_first_with_a_keyset_cursor()
    {
        // 25 records, three of them at the same instant (the id breaks the tie), across two quarters.
        var records = Enumerable.Range(0, 25)
            .Select(i => AttendanceRecord.Create(1, 501, 1 + (i % 3), CheckInMethod.Qr, AttendanceDirection.In, i < 3 ? T0 : T0.AddDays(-i * 5)))
            .ToArray();
        await fixture.Writer.AppendManyAsync(records);
        await fixture.Writer.AppendAsync(AttendanceRecord.Create(1, 502, 1, CheckInMethod.Nfc, AttendanceDirection.In, T0));

        var seen = new List<AttendanceRecord>();
        string? cursor = null;
        do
        {
            var page = await Reader.QueryAsync(new AttendanceQuery { ParticipantId = 501, Limit = 7, After = cursor });
            seen.AddRange(page.Items);
            cursor = page.NextCursor;
        }
        while (cursor is not null);

        var expected = records.OrderByDescending(r => r.OccurredAt).ThenByDescending(r => r.Id.ToString(), StringComparer.Ordinal).ToArray();
        Assert.Equal(expected.Select(r => r.Id), seen.Select(r => r.Id));
        Assert.Equal(records.Single(r => r.Id == seen[5].Id), seen[5]);
    }

    [Fact]
    public async Task Filters_by_gate_and_time_and_rejects_foreign_cursors()
    {
        var records = Enumerable.Range(0, 12)
            .Select(i => AttendanceRecord.Create(1, 600 + i, 77, CheckInMethod.Ble, AttendanceDirection.In, T0.AddMinutes(-i), Guid.NewGuid(), CredentialKind.BleRotatingEid))
            .ToArray();
        await fixture.Writer.AppendManyAsync(records);

        var page = await Reader.QueryAsync(new AttendanceQuery { GateId = 77, Since = T0.AddMinutes(-5.5), Limit = 4 });
        Assert.Equal(4, page.Items.Count);
        Assert.NotNull(page.NextCursor);
        var rest = await Reader.QueryAsync(new AttendanceQuery { GateId = 77, Since = T0.AddMinutes(-5.5), Limit = 4, After = page.NextCursor });
        Assert.Equal(2, rest.Items.Count);
        Assert.Null(rest.NextCursor);

        await Assert.ThrowsAsync<InvalidCursorException>(() => Reader.QueryAsync(new AttendanceQuery { GateId = 78, After = page.NextCursor }));
        await Assert.ThrowsAsync<InvalidCursorException>(() => Reader.QueryAsync(new AttendanceQuery { GateId = 77, After = "not-a-cursor" }));
        await Assert.ThrowsAsync<ArgumentException>(() => Reader.QueryAsync(new AttendanceQuery { Limit = 0 }));

        var both = await Reader.QueryAsync(new AttendanceQuery { GateId = 77, ParticipantId = 603 });
        Assert.Equal(records[3], Assert.Single(both.Items));
        var any = await Reader.QueryAsync(new AttendanceQuery { Since = T0.AddMinutes(-1.5), Limit = 1000 });
        Assert.Contains(any.Items, r => r.Id == records[1].Id);
    }

    [Fact]
    public async Task Pages_all_records_newest_first_across_methods()
    {
        var since = T0.AddYears(2);
        var records = Enumerable.Range(0, 23)
            .Select(i => AttendanceRecord.Create(1, 700 + i, 3, (CheckInMethod)(i % 4), AttendanceDirection.In, since.AddSeconds(i / 2)))
            .ToArray();
        await fixture.Writer.AppendManyAsync(records);

        var seen = new List<Guid>();
        string? cursor = null;
        do
        {
            var page = await Reader.QueryAsync(new AttendanceQuery { Since = since, Limit = 5, After = cursor });
            seen.AddRange(page.Items.Select(r => r.Id));
            cursor = page.NextCursor;
        }
        while (cursor is not null);

        var expected = records.OrderByDescending(r => r.OccurredAt).ThenByDescending(r => r.Id.ToString(), StringComparer.Ordinal).Select(r => r.Id);
        Assert.Equal(expected, seen);
    }

    [Fact]
    public async Task Counts_per_gate_and_at_one_gate_since_an_instant()
    {
        var gateA = await fixture.Gates.CreateAsync(1, "A", GateKind.Entrance, true);
        var gateB = await fixture.Gates.CreateAsync(1, "B", GateKind.Entrance, true);
        var gateC = await fixture.Gates.CreateAsync(1, "C", GateKind.Entrance, true);
        var since = T0.AddYears(1);
        var records = new List<AttendanceRecord>();
        for (var i = 0; i < 5; i++)
        {
            records.Add(AttendanceRecord.Create(1, 900 + i, gateA.Id, CheckInMethod.Qr, AttendanceDirection.In, since.AddMinutes(i)));
        }

        records.Add(AttendanceRecord.Create(1, 950, gateB.Id, CheckInMethod.Qr, AttendanceDirection.In, since.AddSeconds(1)));
        records.Add(AttendanceRecord.Create(1, 951, gateB.Id, CheckInMethod.Qr, AttendanceDirection.In, since.AddSeconds(-1)));
        records.Add(AttendanceRecord.Create(1, 952, gateC.Id, CheckInMethod.Qr, AttendanceDirection.In, since.AddDays(-1)));
        await fixture.Writer.AppendManyAsync(records);

        Assert.Equal(5, await Reader.CountAtGateSinceAsync(gateA.Id, since));
        Assert.Equal(1, await Reader.CountAtGateSinceAsync(gateB.Id, since));
        Assert.Equal(0, await Reader.CountAtGateSinceAsync(gateC.Id, since));
        Assert.Equal([new GateCount(gateA.Id, 5), new GateCount(gateB.Id, 1)], await Reader.CountPerGateSinceAsync(since));
    }

    [Fact]
    public async Task Summarises_many_participants_in_one_query()
    {
        var records = new[]
        {
            AttendanceRecord.Create(1, 1201, 5, CheckInMethod.Qr, AttendanceDirection.In, T0.AddHours(-3)),
            AttendanceRecord.Create(1, 1201, 5, CheckInMethod.Qr, AttendanceDirection.Out, T0.AddHours(-1)),
            AttendanceRecord.Create(1, 1202, 5, CheckInMethod.Manual, AttendanceDirection.In, T0, credentialKind: CredentialKind.StaffVerified),
        };
        await fixture.Writer.AppendManyAsync(records);

        var summaries = (await Reader.GetSummariesAsync([1201, 1202, 1203])).OrderBy(s => s.ParticipantId).ToArray();
        Assert.Equal(
            [new AttendanceSummary(1201, 2, T0.AddHours(-3), T0.AddHours(-1)), new AttendanceSummary(1202, 1, T0, T0), new AttendanceSummary(1203, 0, null, null)],
            summaries);
        Assert.Empty(await Reader.GetSummariesAsync([]));
    }

    [Fact]
    public async Task Finds_the_latest_record_at_a_gate_and_a_record_by_request_id()
    {
        var requestId = Guid.NewGuid();
        var older = AttendanceRecord.Create(1, 1301, 9, CheckInMethod.Qr, AttendanceDirection.In, T0.AddMinutes(-10));
        var newer = AttendanceRecord.Create(1, 1301, 9, CheckInMethod.Qr, AttendanceDirection.In, T0.AddMinutes(-2), requestId);
        var elsewhere = AttendanceRecord.Create(1, 1301, 10, CheckInMethod.Qr, AttendanceDirection.In, T0);
        await fixture.Writer.AppendManyAsync([older, newer, elsewhere]);

        Assert.Equal(newer, await Reader.FindLatestAsync(1301, 9, T0.AddHours(-1)));
        Assert.Null(await Reader.FindLatestAsync(1301, 9, T0.AddMinutes(-1)));
        Assert.Equal(newer, await Reader.FindByRequestIdAsync(requestId));
        Assert.Null(await Reader.FindByRequestIdAsync(Guid.NewGuid()));
    }
}
