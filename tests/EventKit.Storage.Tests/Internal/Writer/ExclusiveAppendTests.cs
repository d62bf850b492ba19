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
    public async Task Scans_decided_in_one_transaction_admit_the_first_of_a_passage_and_one_record_per_request_id()
    {
        var participant = Interlocked.Increment(ref _nextParticipant);
        var requestId = Guid.CreateVersion7();
        var scans = Enumerable.Range(0, 5).Select(i => NewRecord(participant, TimeSpan.FromMilliseconds(i))).ToList();
        var replayed = NewRecord(Interlocked.Increment(ref _nextParticipant), requestId: requestId);
        var replay = NewRecord(replayed.ParticipantId, TimeSpan.FromHours(3), requestId);

        var outcomes = await DecideTogetherAsync([.. scans, replayed, replay]);

        Assert.Null(outcomes[0]);
        Assert.All(outcomes.Take(5).Skip(1), o => Assert.Equal(scans[0].Id, o!.Id));
        Assert.Null(outcomes[5]);
        Assert.Equal(replayed.Id, outcomes[6]!.Id);
        Assert.Equal(1, await fixture.ScalarAsync($"SELECT count(*) FROM attendance_records WHERE participant_id = {participant}"));
        Assert.Equal(1, await fixture.ScalarAsync($"SELECT count(*) FROM attendance_records WHERE participant_id = {replayed.ParticipantId}"));
    }

    [Fact]
    public async Task An_admission_PostgreSQL_refuses_does_not_fail_the_others_decided_with_it()
    {
        var first = NewRecord(Interlocked.Increment(ref _nextParticipant));
        Assert.Null(await fixture.Writer.AppendUnlessPassedAsync(first, Window));
        // Another passage with the first record's primary key (id, occurred_at): its insert violates the key.
        var clash = new AttendanceRecord(first.Id, first.EventId, Interlocked.Increment(ref _nextParticipant), first.GateId, first.Method, first.Direction, first.OccurredAt, null, first.CredentialKind);
        var fine = Enumerable.Range(0, 3).Select(_ => NewRecord(Interlocked.Increment(ref _nextParticipant))).ToList();

        var outcomes = await DecideTogether([clash, .. fine]);

        await Assert.ThrowsAsync<EventKitUnavailableException>(() => outcomes[0]);
        foreach (var (record, outcome) in fine.Zip(outcomes.Skip(1)))
        {
            Assert.Null(await outcome);
            Assert.Equal(1, await fixture.ScalarAsync($"SELECT count(*) FROM attendance_records WHERE participant_id = {record.ParticipantId}"));
        }
    }

    [Fact]
    public async Task An_admission_cancelled_while_it_waits_for_a_batch_is_not_written()
    {
        var cancelled = NewRecord(Interlocked.Increment(ref _nextParticipant));
        using var cancellation = new CancellationTokenSource();
        await using var holder = await HoldPassageLockAsync();
        var blocker = NewRecord(Interlocked.Increment(ref _nextParticipant), TimeSpan.Zero);
        var blocked = await StartBlockedAsync(holder, blocker);
        var waiting = fixture.Writer.AppendUnlessPassedAsync(cancelled, Window, cancellation.Token).AsTask();
        await cancellation.CancelAsync();
        await holder.Transaction.RollbackAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => waiting);
        Assert.Null(await blocked);
        Assert.Equal(0, await fixture.ScalarAsync($"SELECT count(*) FROM attendance_records WHERE participant_id = {cancelled.ParticipantId}"));
    }

    [Fact]
    public async Task The_batched_passage_lookup_uses_the_participant_index_on_every_partition_with_a_generic_plan()
    {
        // One gate holding most rows made the planner pick a partition's gate index for the batched lookup (its values
        // are unknown to the plan); that scanned every row of the gate in the window for each admission.
        await using var connection = await fixture.DataSource.OpenConnectionAsync();
        await using (var setup = new Npgsql.NpgsqlCommand("ANALYZE attendance_records; SET enable_seqscan = off; SET plan_cache_mode = force_generic_plan", connection))
        {
            await setup.ExecuteNonQueryAsync();
        }

        await using var explain = new Npgsql.NpgsqlCommand("EXPLAIN " + GroupCommitAttendanceWriter.ExistingPassagesSql, connection);
        explain.Parameters.Add(new Npgsql.NpgsqlParameter<long[]> { TypedValue = [42, 43] });
        explain.Parameters.Add(new Npgsql.NpgsqlParameter<long[]> { TypedValue = [7, 7] });
        explain.Parameters.Add(new Npgsql.NpgsqlParameter<DateTime[]> { TypedValue = [Now.UtcDateTime.AddMinutes(-1), Now.UtcDateTime.AddMinutes(-1)] });
        explain.Parameters.Add(new Npgsql.NpgsqlParameter<DateTime[]> { TypedValue = [Now.UtcDateTime.AddMinutes(1), Now.UtcDateTime.AddMinutes(1)] });
        var plan = new List<string>();
        await using (var reader = await explain.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
            {
                plan.Add(reader.GetString(0));
            }
        }

        var text = string.Join("\n", plan);
        var scans = plan.Where(l => l.Contains(" on attendance_records", StringComparison.Ordinal)).ToList();
        Assert.NotEmpty(scans);
        Assert.All(scans, l => Assert.True(l.Contains("participant", StringComparison.Ordinal), text));
        Assert.DoesNotContain("Seq Scan", text, StringComparison.Ordinal);
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

    /// <summary>
    /// Decides <paramref name="records"/> in one transaction: a first admission waits on a passage lock held here, so the
    /// writer's degraded loop is busy while the others queue; releasing the lock lets them go as the next batch, in order.
    /// </summary>
    private async Task<AttendanceRecord?[]> DecideTogetherAsync(IReadOnlyList<AttendanceRecord> records)
        => await Task.WhenAll(await DecideTogether(records));

    private async Task<List<Task<AttendanceRecord?>>> DecideTogether(IReadOnlyList<AttendanceRecord> records)
    {
        await using var holder = await HoldPassageLockAsync();
        var blocked = await StartBlockedAsync(holder, NewRecord(Interlocked.Increment(ref _nextParticipant)));
        var outcomes = records.Select(r => fixture.Writer.AppendUnlessPassedAsync(r, Window).AsTask()).ToList();
        await holder.Transaction.RollbackAsync();
        Assert.Null(await blocked);
        return outcomes;
    }

    private async Task<LockHolder> HoldPassageLockAsync()
    {
        var connection = await fixture.DataSource.OpenConnectionAsync();
        var transaction = await connection.BeginTransactionAsync();
        return new LockHolder(connection, transaction);
    }

    /// <summary>Takes <paramref name="blocker"/>'s passage lock in <paramref name="holder"/>, starts its admission and returns once the writer waits for that lock.</summary>
    private async Task<Task<AttendanceRecord?>> StartBlockedAsync(LockHolder holder, AttendanceRecord blocker)
    {
        await using (var take = new Npgsql.NpgsqlCommand("SELECT pg_advisory_xact_lock($1, $2)", holder.Connection, holder.Transaction))
        {
            take.Parameters.Add(new Npgsql.NpgsqlParameter<int> { TypedValue = GroupCommitAttendanceWriter.PassageLockClass });
            take.Parameters.Add(new Npgsql.NpgsqlParameter<int> { TypedValue = GroupCommitAttendanceWriter.PassageLockKey(blocker.ParticipantId, blocker.GateId) });
            await take.ExecuteNonQueryAsync();
        }

        var blocked = fixture.Writer.AppendUnlessPassedAsync(blocker, Window).AsTask();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (await fixture.ScalarAsync("SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND NOT granted AND database = (SELECT oid FROM pg_database WHERE datname = current_database())") == 0)
        {
            Assert.False(blocked.IsCompleted, "The blocked admission finished without waiting for the held lock.");
            await Task.Delay(10, timeout.Token);
        }

        return blocked;
    }

    private sealed record LockHolder(Npgsql.NpgsqlConnection Connection, Npgsql.NpgsqlTransaction Transaction) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            await Transaction.DisposeAsync();
            await Connection.DisposeAsync();
        }
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
