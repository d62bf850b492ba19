using EventKit.Storage.Internal.Writer;
using Microsoft.Extensions.DependencyInjection;

namespace EventKit.Storage.Tests.Internal.Writer;

/// <summary>The degraded path: PostgreSQL decides an admission under a passage lock that every node takes.</summary>
public sealed class ExclusiveAppendTests(StorageFixture fixture) : IClassFixture<StorageFixture>
{
    private static long _nextParticipant = 500_000;
    private static readonly DateTimeOffset Now = DateTimeOffset.FromUnixTimeMilliseconds(DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());
    private static readonly TimeSpan Window = TimeSpan.FromMinutes(1);

    private static AttendanceRecord NewRecord(long participant, TimeSpan offset = default, Guid? requestId = null)
        => AttendanceRecord.Create(1, participant, 7, CheckInMethod.Qr, AttendanceDirection.In, Now + offset, requestId);

    [Fact]
    public async Task Two_nodes_racing_for_one_passage_write_one_record_and_both_learn_it()
    {
        // Two writers over separate service providers: two nodes, each with its own pool, one database.
        await using var other = StorageFixture.BuildProvider(fixture.ConnectionString);
        var writers = new[] { fixture.Writer, other.GetRequiredService<GroupCommitAttendanceWriter>() };
        for (var round = 0; round < 20; round++)
        {
            var participant = Interlocked.Increment(ref _nextParticipant);
            var attempts = Enumerable.Range(0, 8).Select(i => NewRecord(participant, TimeSpan.FromMilliseconds(i))).ToArray();

            var outcomes = await Task.WhenAll(attempts.Select((r, i) => writers[i % 2].AppendUnlessPassedAsync(r, Window).AsTask()));

            var committed = Assert.Single(attempts.Where((_, i) => outcomes[i] is null));
            Assert.All(outcomes.Where(o => o is not null), o => Assert.Equal(committed.Id, o!.Id));
            Assert.Equal(1, await fixture.ScalarAsync($"SELECT count(*) FROM attendance_records WHERE participant_id = {participant}"));
        }
    }

    [Fact]
    public async Task Outside_the_window_it_admits_and_a_known_request_id_returns_its_record()
    {
        var participant = Interlocked.Increment(ref _nextParticipant);
        var requestId = Guid.CreateVersion7();
        var first = NewRecord(participant, requestId: requestId);
        Assert.Null(await fixture.Writer.AppendUnlessPassedAsync(first, Window));

        // The same request id again (its answer was lost with Redis): the first record, nothing written.
        Assert.Equal(first.Id, (await fixture.Writer.AppendUnlessPassedAsync(NewRecord(participant, TimeSpan.FromHours(2), requestId), Window))!.Id);

        // Another scan two minutes later is outside the window: admitted.
        Assert.Null(await fixture.Writer.AppendUnlessPassedAsync(NewRecord(participant, TimeSpan.FromMinutes(2)), Window));
        Assert.Equal(2, await fixture.ScalarAsync($"SELECT count(*) FROM attendance_records WHERE participant_id = {participant}"));
    }

    [Fact]
    public async Task The_passage_lookup_uses_the_participant_index()
    {
        await using var connection = await fixture.DataSource.OpenConnectionAsync();
        // A test table is small enough for a sequential scan to win on cost; what matters is that an index on the
        // participant serves the query (per partition: PostgreSQL names each partition's copy of the index itself).
        await using (var setup = new Npgsql.NpgsqlCommand("ANALYZE attendance_records; SET enable_seqscan = off", connection))
        {
            await setup.ExecuteNonQueryAsync();
        }

        await using var explain = new Npgsql.NpgsqlCommand(
            "EXPLAIN SELECT id FROM attendance_records WHERE participant_id = 42 AND gate_id = 7 AND occurred_at >= now() - interval '1 minute' AND occurred_at < now() + interval '1 minute' ORDER BY occurred_at LIMIT 1",
            connection);
        var plan = new List<string>();
        await using (var reader = await explain.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
            {
                plan.Add(reader.GetString(0));
            }
        }

        var text = string.Join("\n", plan);
        Assert.True(plan.Any(l => l.Contains("Index", StringComparison.Ordinal) && l.Contains("participant", StringComparison.Ordinal)), text);
        Assert.DoesNotContain("Seq Scan", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Lock_keys_are_the_same_on_every_node_and_run()
    {
        // Fixed values: a key computed from HashCode (seeded per process) would differ between nodes and never collide.
        Assert.Equal(GroupCommitAttendanceWriter.PassageLockKey(42, 7), GroupCommitAttendanceWriter.PassageLockKey(42, 7));
        Assert.NotEqual(GroupCommitAttendanceWriter.PassageLockKey(42, 7), GroupCommitAttendanceWriter.PassageLockKey(7, 42));
        Assert.Equal(-533_332_738, GroupCommitAttendanceWriter.PassageLockKey(1, 1));
    }
}
