using System.Collections.Concurrent;
using EventKit.Storage.Internal.Writer;
using EventKit.Testing;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace EventKit.Storage.Tests.Internal.Writer;

public sealed class GroupCommitAttendanceWriterTests(StorageFixture fixture) : IClassFixture<StorageFixture>
{
    private static long _nextGate = 1000;

    // PostgreSQL keeps microseconds; whole milliseconds round-trip exactly.
    private static readonly DateTimeOffset Now = DateTimeOffset.FromUnixTimeMilliseconds(DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());

    private static AttendanceRecord NewRecord(long gateId, int i)
        => AttendanceRecord.Create(1, 1 + i, gateId, CheckInMethod.Qr, AttendanceDirection.In, Now.AddMilliseconds(-i));

    private static long NewGate() => Interlocked.Increment(ref _nextGate);

    [Fact]
    public async Task Writing_the_same_record_twice_stores_it_once()
    {
        var gate = NewGate();
        var record = NewRecord(gate, 1);
        await fixture.Writer.AppendAsync(record);
        await fixture.Writer.AppendAsync(record);

        // A batch mixing a stored record with new ones stores the new ones (the idempotent path).
        var fresh = NewRecord(gate, 2);
        await fixture.Writer.AppendManyAsync([record, fresh, fresh]);

        Assert.Equal(2, await fixture.ScalarAsync($"SELECT count(*) FROM attendance_records WHERE gate_id = {gate}"));
        Assert.Equal(record, await fixture.Reader.FindLatestAsync(record.ParticipantId, gate, record.OccurredAt));
    }

    [Fact]
    public async Task Fifty_concurrent_writers_get_every_acknowledged_record_stored_exactly_once()
    {
        var gate = NewGate();
        var acknowledged = new ConcurrentBag<Guid>();
        await Parallel.ForEachAsync(Enumerable.Range(0, 50), new ParallelOptions { MaxDegreeOfParallelism = 50 }, async (writer, ct) =>
        {
            for (var i = 0; i < 40; i++)
            {
                var record = NewRecord(gate, (writer * 1000) + i);
                await fixture.Writer.AppendAsync(record, ct);
                acknowledged.Add(record.Id);
            }
        });

        Assert.Equal(2000, acknowledged.Count);
        var stored = await StoredIdsAsync(gate);
        Assert.Equal(acknowledged.Order(), stored.Order());
    }

    [Fact]
    public async Task Connections_killed_mid_batch_lose_nothing_and_duplicate_nothing()
    {
        var gate = NewGate();
        var acknowledged = new ConcurrentBag<Guid>();
        using var stop = new CancellationTokenSource();
        long retries = 0;
        using var listener = new System.Diagnostics.Metrics.MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == EventKitDiagnostics.Storage && instrument.Name == "eventkit.storage.writer.retries")
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<long>((_, value, _, _) => Interlocked.Add(ref retries, value));
        listener.Start();
        var writers = Enumerable.Range(0, 16).Select(w => Task.Run(async () =>
        {
            for (var i = 0; !stop.IsCancellationRequested || i < 50; i++)
            {
                var batch = Enumerable.Range(0, 20).Select(j => NewRecord(gate, (w * 100_000) + (i * 20) + j)).ToArray();
                await fixture.Writer.AppendManyAsync(batch);
                foreach (var r in batch)
                {
                    acknowledged.Add(r.Id);
                }

                if (i > 400)
                {
                    break;
                }
            }
        })).ToArray();

        // Kill every other backend of the database (the writer's connections among them) while writes flow.
        var kills = 0;
        await using var admin = NpgsqlDataSource.Create(fixture.ConnectionString + ";Pooling=false");
        for (var round = 0; round < 5; round++)
        {
            await Eventually.TrueAsync(() => acknowledged.Count >= (round + 1) * 600, "writes flow between kills", TimeSpan.FromSeconds(60));
            await using var kill = admin.CreateCommand("SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid() AND backend_type = 'client backend'");
            kills += (int)(long)(await kill.ExecuteScalarAsync())!;
        }

        await stop.CancelAsync();
        await Task.WhenAll(writers);

        // Idle pooled connections were killed too; later reads must not pick them up.
        fixture.DataSource.Clear();
        fixture.Sources.Write.Clear();

        Assert.True(kills > 0);
        Assert.True(Interlocked.Read(ref retries) > 0, "no batch was interrupted, so the retry path was not exercised");
        var stored = await StoredIdsAsync(gate);
        Assert.Equal(stored.Count, stored.Distinct().Count());
        Assert.Subset(stored.ToHashSet(), acknowledged.ToHashSet());
        Assert.Equal(acknowledged.Count, stored.Count);
    }

    [Fact]
    public async Task Callers_get_EventKitUnavailableException_when_retries_run_out()
    {
        // Nothing listens on port 1: every attempt fails to connect.
        var builder = new NpgsqlConnectionStringBuilder(fixture.ConnectionString) { Port = 1, Timeout = 1 };
        await using var provider = StorageFixture.BuildProvider(builder.ConnectionString, o =>
        {
            o.Writer.MaxRetries = 2;
            o.Writer.RetryBaseDelay = TimeSpan.FromMilliseconds(1);
        });
        var writer = provider.GetRequiredService<GroupCommitAttendanceWriter>();

        var e = await Assert.ThrowsAsync<EventKitUnavailableException>(() => writer.AppendAsync(NewRecord(NewGate(), 1)).AsTask());
        Assert.NotNull(e.InnerException);
    }

    [Fact]
    public async Task Draining_writes_everything_queued_and_then_refuses_new_appends()
    {
        var gate = NewGate();
        await using var provider = StorageFixture.BuildProvider(fixture.ConnectionString, o => o.Writer.MaxBatchDelay = TimeSpan.FromMilliseconds(50));
        var writer = provider.GetRequiredService<GroupCommitAttendanceWriter>();

        var pending = Enumerable.Range(0, 300).Select(i => writer.AppendAsync(NewRecord(gate, i)).AsTask()).ToArray();
        await writer.DrainAsync(CancellationToken.None);

        // Every append queued before the drain is acknowledged (their continuations run asynchronously).
        await Task.WhenAll(pending).WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal(300, await fixture.ScalarAsync($"SELECT count(*) FROM attendance_records WHERE gate_id = {gate}"));
        await Assert.ThrowsAsync<EventKitUnavailableException>(() => writer.AppendAsync(NewRecord(gate, 999)).AsTask());
    }

    [Fact]
    public async Task A_full_queue_makes_callers_wait_instead_of_growing()
    {
        var gate = NewGate();
        await using var provider = StorageFixture.BuildProvider(fixture.ConnectionString, o =>
        {
            o.Writer.QueueCapacity = 4;
            o.Writer.MaxBatchSize = 2;
            o.Writer.Concurrency = 1;
        });
        var writer = provider.GetRequiredService<GroupCommitAttendanceWriter>();

        var appends = Enumerable.Range(0, 200).Select(i => writer.AppendAsync(NewRecord(gate, i)).AsTask()).ToArray();
        Assert.True(writer.QueueDepth <= 4);
        await Task.WhenAll(appends);
        Assert.Equal(200, await fixture.ScalarAsync($"SELECT count(*) FROM attendance_records WHERE gate_id = {gate}"));
    }

    [Fact]
    public async Task A_cancelled_wait_does_not_cancel_the_write_and_a_cancelled_call_writes_nothing()
    {
        var gate = NewGate();
        await using var provider = StorageFixture.BuildProvider(fixture.ConnectionString, o => o.Writer.MaxBatchDelay = TimeSpan.FromMilliseconds(500));
        var writer = provider.GetRequiredService<GroupCommitAttendanceWriter>();
        using var impatient = new CancellationTokenSource();
        var record = NewRecord(gate, 1);

        var append = writer.AppendAsync(record, impatient.Token).AsTask();
        await impatient.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => append);
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => writer.AppendAsync(NewRecord(gate, 2), impatient.Token).AsTask());

        // The first record is written anyway (the caller may retry it safely); the second never was.
        await Eventually.TrueAsync(async () => await fixture.ScalarAsync($"SELECT count(*) FROM attendance_records WHERE gate_id = {gate}") == 1, "the first record is committed");
        Assert.Equal(record, await fixture.Reader.FindLatestAsync(record.ParticipantId, gate, record.OccurredAt));
    }

    private async Task<List<Guid>> StoredIdsAsync(long gate)
    {
        await using var command = fixture.DataSource.CreateCommand($"SELECT id FROM attendance_records WHERE gate_id = {gate}");
        await using var reader = await command.ExecuteReaderAsync();
        var ids = new List<Guid>();
        while (await reader.ReadAsync())
        {
            ids.Add(reader.GetGuid(0));
        }

        return ids;
    }
}
