using System.Collections.Concurrent;
using EventKit.Internal;
using EventKit.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace EventKit.Core.Tests.CheckIn;

public sealed class CheckInServiceTests
{
    private const long EventId = 1;
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 21, 9, 0, 0, TimeSpan.Zero));
    private readonly Directory _directory = new();
    private readonly RecordingWriter _writer = new();

    public CheckInServiceTests()
    {
        _directory.Gates[1] = new Gate(1, EventId, "Main");
        _directory.Gates[2] = new Gate(2, EventId, "Closed", isOpen: false);
        _directory.Gates[3] = new Gate(3, EventId, "Exit", GateKind.Exit);
        _directory.Gates[9] = new Gate(9, 2, "Other event");
        _directory.Add(new Participant(10, EventId, "Kim"), "token-kim");
        _directory.Add(new Participant(11, EventId, "Lee", status: ParticipantStatus.Suspended), "token-lee");
        _directory.Add(new Participant(12, EventId, "Park", status: ParticipantStatus.Revoked), "token-park");
        _directory.Add(new Participant(14, 2, "Elsewhere"), "token-elsewhere");
    }

    private ServiceProvider Build(Action<EventKitOptions>? configure = null, ICheckInClaims? claims = null)
    {
        var services = new ServiceCollection();
        if (claims is not null)
        {
            services.AddSingleton(claims);
        }

        services.AddSingleton<TimeProvider>(_time);
        services.AddSingleton<IGateDirectory>(_directory);
        services.AddSingleton<IParticipantDirectory>(_directory);
        services.AddSingleton<IAttendanceWriter>(_writer);
        services.AddSingleton<IAttendanceReader>(_writer);
        services.AddLogging();
        services.AddEventKit(o => configure?.Invoke(o));
        return services.BuildServiceProvider();
    }

    [Fact]
    public async Task Admits_an_active_participant_and_writes_one_record()
    {
        using var provider = Build();
        var result = await provider.GetRequiredService<ICheckInService>().CheckInAsync(CheckInRequest.ForToken(1, "token-kim"));

        Assert.Equal(CheckInStatus.Admitted, result.Status);
        var record = Assert.Single(_writer.Records);
        Assert.Equal(record.Id, result.RecordId);
        Assert.Equal(10, record.ParticipantId);
        Assert.Equal(_time.GetUtcNow(), record.OccurredAt);
        Assert.Equal(AttendanceDirection.In, record.Direction);
        Assert.Equal(1, provider.GetRequiredService<CheckInCounters>().AdmittedByGate()[1]);
    }

    [Fact]
    public async Task A_scan_that_read_a_failing_write_as_the_holder_claims_again_instead_of_naming_a_record_that_does_not_exist()
    {
        // Found by the fault suite (redis-sigkill-restart-empty): a scan read the passage's holder X from the claims,
        // X's write then failed, gave the claim back and left the in-flight map, and the scan answered "duplicate of X".
        var claims = new HolderHook(new InMemoryCheckInClaims(_time));
        using var provider = Build(claims: claims);
        var service = provider.GetRequiredService<ICheckInService>();
        _writer.Fail = true;
        _writer.Delay = TimeSpan.FromMilliseconds(50);

        // The first scan claims the passage and its write fails after the delay.
        var first = service.CheckInAsync(CheckInRequest.ForToken(1, "token-kim")).AsTask();
        await claims.Claimed.Task;

        // The second reads the first as the holder; before it looks further, the first has failed and storage is back.
        claims.OnHolder = async () =>
        {
            await first;
            _writer.Fail = false;
        };
        var second = await service.CheckInAsync(CheckInRequest.ForToken(1, "token-kim"));

        Assert.Equal(CheckInStatus.Unavailable, (await first).Status);
        Assert.Equal(CheckInStatus.Admitted, second.Status);
        Assert.Equal(second.RecordId, Assert.Single(_writer.Records).Id);
    }

    [Fact]
    public async Task A_write_that_committed_but_failed_in_flight_keeps_its_claim_so_the_next_scan_is_not_admitted_again()
    {
        // Found by the fault suite (postgres-stopped-20s, 5 re-admissions): PostgreSQL went away between COMMIT and its
        // answer, the scan got 503, its claim was given back, and the participant's next scan was admitted a second time.
        using var provider = Build();
        var service = provider.GetRequiredService<ICheckInService>();
        _time.Advance(TimeSpan.FromSeconds(61)); // past the cold-start window: the node trusts its claims
        _writer.FailAfterCommit = true;
        var first = await service.CheckInAsync(CheckInRequest.ForToken(1, "token-kim"));
        Assert.Equal(CheckInStatus.Unavailable, first.Status);
        var written = Assert.Single(_writer.Records);

        _writer.FailAfterCommit = false;
        var exclusiveBefore = _writer.ExclusiveAppends;
        var second = await service.CheckInAsync(CheckInRequest.ForToken(1, "token-kim"));

        // PostgreSQL decided (the holder's outcome was unknown here) and found the committed record.
        Assert.Equal(CheckInStatus.Duplicate, second.Status);
        Assert.Equal(written.Id, second.RecordId);
        Assert.Single(_writer.Records);
        Assert.Equal(exclusiveBefore + 1, _writer.ExclusiveAppends);
    }

    [Fact]
    public async Task A_restarted_node_without_redis_lets_storage_decide_and_answers_the_duplicate()
    {
        // Admitted 20 s ago by this node before it was killed: the new process's memory knows nothing of it.
        var before = AttendanceRecord.Create(EventId, 10, 1, CheckInMethod.Qr, AttendanceDirection.In, _time.GetUtcNow() - TimeSpan.FromSeconds(20));
        _writer.Seed(before);
        using var provider = Build();

        var result = await provider.GetRequiredService<ICheckInService>().CheckInAsync(CheckInRequest.ForToken(1, "token-kim"));

        Assert.Equal(CheckInStatus.Duplicate, result.Status);
        Assert.Equal(before.Id, result.RecordId);
        Assert.Single(_writer.Records);
        Assert.Equal(1, _writer.ExclusiveAppends);

        // The answer is now in memory: the next scan is decided without storage.
        Assert.Equal(CheckInStatus.Duplicate, (await provider.GetRequiredService<ICheckInService>().CheckInAsync(CheckInRequest.ForToken(1, "token-kim"))).Status);
        Assert.Equal(1, _writer.ExclusiveAppends);
    }

    [Fact]
    public async Task After_one_re_entry_window_a_restarted_node_trusts_its_memory_again()
    {
        using var provider = Build();
        var service = provider.GetRequiredService<ICheckInService>();
        _time.Advance(TimeSpan.FromSeconds(61));

        var result = await service.CheckInAsync(CheckInRequest.ForToken(1, "token-kim"));

        Assert.Equal(CheckInStatus.Admitted, result.Status);
        Assert.Equal(0, _writer.ExclusiveAppends);
    }

    [Fact]
    public async Task A_request_id_replayed_for_another_gate_or_credential_is_refused_as_reused()
    {
        _directory.Add(new Participant(13, EventId, "Cho"), "token-cho");
        using var provider = Build();
        var service = provider.GetRequiredService<ICheckInService>();
        var requestId = Guid.CreateVersion7();
        var first = await service.CheckInAsync(CheckInRequest.ForToken(1, "token-kim", requestId: requestId));

        var sameBody = await service.CheckInAsync(CheckInRequest.ForToken(1, "token-kim", requestId: requestId));
        var otherGate = await service.CheckInAsync(CheckInRequest.ForToken(3, "token-kim", requestId: requestId));
        var otherCredential = await service.CheckInAsync(CheckInRequest.ForToken(1, "token-cho", requestId: requestId));
        var refusedBody = await service.CheckInAsync(CheckInRequest.ForToken(2, "token-kim", requestId: requestId));

        Assert.Equal(CheckInStatus.Admitted, first.Status);
        Assert.Equal(first, sameBody);
        Assert.Equal(CheckInStatus.RequestIdReused, otherGate.Status);
        Assert.Equal(CheckInErrorCodes.RequestIdReused, otherGate.ErrorCode);
        Assert.Equal(CheckInStatus.RequestIdReused, otherCredential.Status);
        Assert.Equal(CheckInStatus.RequestIdReused, refusedBody.Status);
        Assert.Single(_writer.Records);

        // The reuse did not overwrite the first answer.
        Assert.Equal(first, await service.CheckInAsync(CheckInRequest.ForToken(1, "token-kim", requestId: requestId)));
    }

    [Fact]
    public async Task Refusals_are_remembered_for_one_re_entry_window_admissions_for_the_idempotency_window()
    {
        using var provider = Build(o => o.ReEntryWindow = TimeSpan.FromSeconds(30));
        var service = provider.GetRequiredService<ICheckInService>();
        var refused = Guid.CreateVersion7();
        var admitted = Guid.CreateVersion7();
        Assert.Equal(CheckInStatus.UnknownCredential, (await service.CheckInAsync(CheckInRequest.ForToken(1, "token-nobody", requestId: refused))).Status);
        Assert.Equal(CheckInStatus.Admitted, (await service.CheckInAsync(CheckInRequest.ForToken(1, "token-kim", requestId: admitted))).Status);
        var claims = provider.GetRequiredService<ICheckInClaims>();

        _time.Advance(TimeSpan.FromSeconds(31));

        Assert.Equal(RequestStartState.Started, (await claims.TryStartRequestAsync(refused, TimeSpan.FromSeconds(30))).State);
        Assert.Equal(RequestStartState.Answered, (await claims.TryStartRequestAsync(admitted, TimeSpan.FromSeconds(30))).State);
    }

    [Fact]
    public async Task Ten_thousand_refusals_under_random_request_ids_stay_within_the_claims_capacity()
    {
        using var provider = Build(o => o.ClaimsCapacity = 2_000);
        var service = provider.GetRequiredService<ICheckInService>();
        for (var i = 0; i < 10_000; i++)
        {
            Assert.Equal(CheckInStatus.UnknownCredential, (await service.CheckInAsync(CheckInRequest.ForToken(1, "token-nobody", requestId: Guid.NewGuid()))).Status);
        }

        var claims = (EventKit.Internal.InMemoryCheckInClaims)provider.GetRequiredService<ICheckInClaims>();
        Assert.InRange(claims.Count, 1, 2_000);
    }

    [Fact]
    public async Task Check_ins_are_traced_as_a_span_with_resolve_claim_and_write_children()
    {
        using var provider = Build();
        using var root = new System.Diagnostics.Activity("test").Start();
        using var spans = new SpanRecorder(root.TraceId, EventKitDiagnostics.CheckIn);

        await provider.GetRequiredService<ICheckInService>().CheckInAsync(CheckInRequest.ForToken(1, "token-kim"));

        var checkIn = Assert.Single(spans, s => s.OperationName == "eventkit.checkin");
        Assert.Equal("admitted", checkIn.GetTagItem("eventkit.checkin.status"));
        Assert.Equal(1L, checkIn.GetTagItem("eventkit.gate.id"));
        foreach (var child in (string[])["eventkit.checkin.resolve", "eventkit.checkin.claim", "eventkit.checkin.write"])
        {
            Assert.Equal(checkIn.SpanId, Assert.Single(spans, s => s.OperationName == child).ParentSpanId);
        }
    }

    [Fact]
    public async Task Exit_gates_write_out_records()
    {
        using var provider = Build();
        await provider.GetRequiredService<ICheckInService>().CheckInAsync(CheckInRequest.ForToken(3, "token-kim"));
        Assert.Equal(AttendanceDirection.Out, Assert.Single(_writer.Records).Direction);
    }

    [Theory]
    [InlineData(404L, "token-kim", CheckInStatus.UnknownGate, "unknown_gate")]
    [InlineData(2L, "token-kim", CheckInStatus.GateClosed, "gate_closed")]
    [InlineData(1L, "nobody", CheckInStatus.UnknownCredential, "unknown_credential")]
    [InlineData(1L, "token-lee", CheckInStatus.InactiveParticipant, "inactive_participant")]
    [InlineData(1L, "token-park", CheckInStatus.InactiveParticipant, "inactive_participant")]
    [InlineData(9L, "token-kim", CheckInStatus.UnknownGate, "unknown_gate")] // another event's gate is unknown to this node
    [InlineData(1L, "token-elsewhere", CheckInStatus.UnknownCredential, "unknown_credential")] // another event's participant
    public async Task Refusals_write_nothing(long gateId, string token, CheckInStatus status, string code)
    {
        using var provider = Build();
        var result = await provider.GetRequiredService<ICheckInService>().CheckInAsync(CheckInRequest.ForToken(gateId, token));
        Assert.Equal(status, result.Status);
        Assert.Equal(code, result.ErrorCode);
        Assert.Empty(_writer.Records);
    }

    [Fact]
    public async Task Invalid_requests_name_the_field_and_write_nothing()
    {
        using var provider = Build();
        var service = provider.GetRequiredService<ICheckInService>();
        var now = _time.GetUtcNow();

        Assert.Equal("gateId", (await service.CheckInAsync(CheckInRequest.ForToken(0, "token-kim"))).Field);
        Assert.Equal("credential", (await service.CheckInAsync(CheckInRequest.ForToken(1, new string('x', 257)))).Field);
        Assert.Equal("credential", (await service.CheckInAsync(CheckInRequest.ForToken(1, ""))).Field);
        Assert.Equal("method", (await service.CheckInAsync(CheckInRequest.ForToken(1, "token-kim", CheckInMethod.Ble))).Field);
        Assert.Equal("occurredAt", (await service.CheckInAsync(CheckInRequest.ForToken(1, "token-kim", occurredAt: now.AddHours(-24).AddSeconds(-1)))).Field);
        Assert.Equal("occurredAt", (await service.CheckInAsync(CheckInRequest.ForToken(1, "token-kim", occurredAt: now.AddMinutes(5).AddSeconds(1)))).Field);
        Assert.Equal("requestId", (await service.CheckInAsync(CheckInRequest.ForToken(1, "token-kim", requestId: Guid.Empty))).Field);
        Assert.Equal("participantId", (await service.CheckInAsync(CheckInRequest.ForParticipant(1, 0, CheckInMethod.Ble, CredentialKind.BleRotatingEid))).Field);
        Assert.Empty(_writer.Records);

        // The edges themselves are accepted.
        Assert.Equal(CheckInStatus.Admitted, (await service.CheckInAsync(CheckInRequest.ForToken(1, "token-kim", occurredAt: now.AddHours(-24)))).Status);
    }

    [Fact]
    public async Task Second_scan_inside_the_window_is_a_duplicate_of_the_first_and_outside_it_is_admitted()
    {
        using var provider = Build();
        var service = provider.GetRequiredService<ICheckInService>();
        var first = await service.CheckInAsync(CheckInRequest.ForToken(1, "token-kim"));

        _time.Advance(TimeSpan.FromSeconds(59));
        var second = await service.CheckInAsync(CheckInRequest.ForToken(1, "token-kim"));
        Assert.Equal(CheckInStatus.Duplicate, second.Status);
        Assert.Equal(first.RecordId, second.RecordId);
        Assert.Equal(first.OccurredAt, second.OccurredAt);

        // Another gate is another passage.
        Assert.Equal(CheckInStatus.Admitted, (await service.CheckInAsync(CheckInRequest.ForToken(3, "token-kim"))).Status);

        _time.Advance(TimeSpan.FromSeconds(2));
        Assert.Equal(CheckInStatus.Admitted, (await service.CheckInAsync(CheckInRequest.ForToken(1, "token-kim"))).Status);
        Assert.Equal(3, _writer.Records.Count);
    }

    [Fact]
    public async Task Zero_window_turns_anti_passback_off()
    {
        using var provider = Build(o => o.ReEntryWindow = TimeSpan.Zero);
        var service = provider.GetRequiredService<ICheckInService>();
        await service.CheckInAsync(CheckInRequest.ForToken(1, "token-kim"));
        await service.CheckInAsync(CheckInRequest.ForToken(1, "token-kim"));
        Assert.Equal(2, _writer.Records.Count);
    }

    [Fact]
    public async Task Hundred_concurrent_identical_check_ins_write_one_record()
    {
        _writer.Delay = TimeSpan.FromMilliseconds(20);
        using var provider = Build();
        var service = provider.GetRequiredService<ICheckInService>();

        var results = await Task.WhenAll(Enumerable.Range(0, 100).Select(_ => Task.Run(() => service.CheckInAsync(CheckInRequest.ForToken(1, "token-kim")).AsTask())));

        var admitted = Assert.Single(results, r => r.Status == CheckInStatus.Admitted);
        Assert.Equal(99, results.Count(r => r.Status == CheckInStatus.Duplicate && r.RecordId == admitted.RecordId));
        Assert.Single(_writer.Records);
    }

    [Fact]
    public async Task Replayed_request_id_returns_the_first_answer_and_writes_nothing()
    {
        using var provider = Build();
        var service = provider.GetRequiredService<ICheckInService>();
        var requestId = Guid.CreateVersion7();

        var first = await service.CheckInAsync(CheckInRequest.ForToken(1, "token-kim", requestId: requestId));
        _time.Advance(TimeSpan.FromSeconds(5));
        var replay = await service.CheckInAsync(CheckInRequest.ForToken(1, "token-kim", requestId: requestId));

        Assert.Equal(CheckInStatus.Admitted, replay.Status);
        Assert.Equal(first, replay);
        Assert.Single(_writer.Records);
        Assert.Equal(requestId, _writer.Records.Single().RequestId);
    }

    [Fact]
    public async Task Concurrent_replays_of_one_request_id_get_one_answer()
    {
        _writer.Delay = TimeSpan.FromMilliseconds(50);
        var requestId = Guid.CreateVersion7();

        // Real time here: waiting replays poll with Task.Delay on the injected clock.
        using var realTime = new ServiceCollection()
            .AddSingleton<IGateDirectory>(_directory).AddSingleton<IParticipantDirectory>(_directory)
            .AddSingleton<IAttendanceWriter>(_writer).AddSingleton<IAttendanceReader>(_writer).AddLogging()
            .AddEventKit(o => o.ReEntryWindow = TimeSpan.Zero).Services.BuildServiceProvider();
        var realService = realTime.GetRequiredService<ICheckInService>();
        var results = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => Task.Run(() => realService.CheckInAsync(CheckInRequest.ForToken(1, "token-kim", requestId: requestId)).AsTask())));

        Assert.Single(_writer.Records);
        Assert.All(results, r => Assert.Equal(results[0], r));
        Assert.Equal(CheckInStatus.Admitted, results[0].Status);
    }

    [Fact]
    public async Task Storage_outage_answers_unavailable_and_releases_the_claim_for_a_retry()
    {
        using var provider = Build();
        var service = provider.GetRequiredService<ICheckInService>();
        var requestId = Guid.CreateVersion7();

        _writer.Fail = true;
        var failed = await service.CheckInAsync(CheckInRequest.ForToken(1, "token-kim", requestId: requestId));
        Assert.Equal(CheckInStatus.Unavailable, failed.Status);
        Assert.Equal(TimeSpan.FromSeconds(3), failed.RetryAfter);
        Assert.Empty(_writer.Records);

        _writer.Fail = false;
        var retried = await service.CheckInAsync(CheckInRequest.ForToken(1, "token-kim", requestId: requestId));
        Assert.Equal(CheckInStatus.Admitted, retried.Status);
        Assert.Single(_writer.Records);
    }

    [Fact]
    public async Task A_write_that_committed_but_reported_failure_is_found_by_the_retry_not_written_twice()
    {
        using var provider = Build(o => o.ReEntryWindow = TimeSpan.Zero);
        var service = provider.GetRequiredService<ICheckInService>();
        var requestId = Guid.CreateVersion7();

        _writer.FailAfterCommit = true;
        var failed = await service.CheckInAsync(CheckInRequest.ForToken(1, "token-kim", requestId: requestId));
        Assert.Equal(CheckInStatus.Unavailable, failed.Status);
        var stored = Assert.Single(_writer.Records);

        _writer.FailAfterCommit = false;
        var retried = await service.CheckInAsync(CheckInRequest.ForToken(1, "token-kim", requestId: requestId));
        Assert.Equal(CheckInStatus.Admitted, retried.Status);
        Assert.Equal(stored.Id, retried.RecordId);
        Assert.Single(_writer.Records);

        // And the found answer is kept for later replays.
        Assert.Equal(retried, await service.CheckInAsync(CheckInRequest.ForToken(1, "token-kim", requestId: requestId)));
    }

    [Fact]
    public async Task Ble_participant_requests_skip_the_credential_and_keep_their_kind()
    {
        using var provider = Build();
        var result = await provider.GetRequiredService<ICheckInService>().CheckInAsync(
            CheckInRequest.ForParticipant(1, 10, CheckInMethod.Ble, CredentialKind.BleStaticBeacon));
        Assert.Equal(CheckInStatus.Admitted, result.Status);
        var record = Assert.Single(_writer.Records);
        Assert.Equal(CheckInMethod.Ble, record.Method);
        Assert.Equal(CredentialKind.BleStaticBeacon, record.CredentialKind);
    }

    /// <summary>Claims that run <see cref="OnHolder"/> before returning a held passage (to let its holder finish first).</summary>
    private sealed class HolderHook(ICheckInClaims inner) : ICheckInClaims
    {
        public Func<Task>? OnHolder { get; set; }

        /// <summary>Completed when a passage was first claimed.</summary>
        public TaskCompletionSource Claimed { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public async ValueTask<PassageClaimResult> TryClaimPassageCheckedAsync(long participantId, long gateId, PassageClaim claim, TimeSpan window, CancellationToken cancellationToken = default)
        {
            var result = await inner.TryClaimPassageCheckedAsync(participantId, gateId, claim, window, cancellationToken);
            if (result.Holder is null)
            {
                Claimed.TrySetResult();
            }

            if (result.Holder is not null && OnHolder is { } hook)
            {
                OnHolder = null;
                await hook();
            }

            return result;
        }

        public ValueTask<PassageClaim?> TryClaimPassageAsync(long participantId, long gateId, PassageClaim claim, TimeSpan window, CancellationToken cancellationToken = default)
            => inner.TryClaimPassageAsync(participantId, gateId, claim, window, cancellationToken);

        public ValueTask ReleasePassageAsync(long participantId, long gateId, Guid recordId, CancellationToken cancellationToken = default)
            => inner.ReleasePassageAsync(participantId, gateId, recordId, cancellationToken);

        public ValueTask<RequestStart> TryStartRequestAsync(Guid requestId, TimeSpan lease, CancellationToken cancellationToken = default)
            => inner.TryStartRequestAsync(requestId, lease, cancellationToken);

        public ValueTask SaveAnswerAsync(Guid requestId, CheckInResult answer, TimeSpan retention, CancellationToken cancellationToken = default)
            => inner.SaveAnswerAsync(requestId, answer, retention, cancellationToken);

        public ValueTask AbandonRequestAsync(Guid requestId, bool outcomeUnknown = false, CancellationToken cancellationToken = default)
            => inner.AbandonRequestAsync(requestId, outcomeUnknown, cancellationToken);
    }

    internal sealed class Directory : IGateDirectory, IParticipantDirectory
    {
        public ConcurrentDictionary<long, Gate> Gates { get; } = new();

        private readonly ConcurrentDictionary<long, Participant> _byId = new();
        private readonly ConcurrentDictionary<CredentialHash, Participant> _byCredential = new();

        public void Add(Participant participant, string token)
        {
            _byId[participant.Id] = participant;
            _byCredential[CredentialHash.Compute(token)] = participant;
        }

        public ValueTask<Gate?> GetAsync(long gateId, CancellationToken cancellationToken = default) => ValueTask.FromResult(Gates.GetValueOrDefault(gateId));

        public Task<IReadOnlyList<Gate>> GetAllAsync(long eventId, CancellationToken cancellationToken = default)
            => Task.FromResult<IReadOnlyList<Gate>>(Gates.Values.Where(g => g.EventId == eventId).ToList());

        public ValueTask<Participant?> FindByCredentialAsync(CredentialHash credential, CancellationToken cancellationToken = default)
            => ValueTask.FromResult(_byCredential.GetValueOrDefault(credential));

        ValueTask<Participant?> IParticipantDirectory.GetAsync(long participantId, CancellationToken cancellationToken)
            => ValueTask.FromResult(_byId.GetValueOrDefault(participantId));

        public Task<IReadOnlyList<Participant>> GetManyAsync(IReadOnlyCollection<long> participantIds, CancellationToken cancellationToken = default)
            => Task.FromResult<IReadOnlyList<Participant>>(participantIds.Where(_byId.ContainsKey).Select(id => _byId[id]).ToList());
    }

    internal sealed class RecordingWriter : IAttendanceWriter, IAttendanceReader
    {
        private readonly ConcurrentQueue<AttendanceRecord> _records = new();

        public IReadOnlyCollection<AttendanceRecord> Records => _records;

        public TimeSpan Delay { get; set; }

        public bool Fail { get; set; }

        /// <summary>Stores the record, then reports failure: a commit whose acknowledgement was lost.</summary>
        public bool FailAfterCommit { get; set; }

        public async ValueTask AppendAsync(AttendanceRecord record, CancellationToken cancellationToken = default)
        {
            if (Delay > TimeSpan.Zero)
            {
                await Task.Delay(Delay, CancellationToken.None);
            }

            if (Fail)
            {
                throw new EventKitUnavailableException("down") { RetryAfter = TimeSpan.FromSeconds(3) };
            }

            _records.Enqueue(record);
            if (FailAfterCommit)
            {
                throw new EventKitUnavailableException("connection lost after COMMIT");
            }
        }

        /// <summary>How many admissions went through the exclusive (PostgreSQL-decides) path.</summary>
        public int ExclusiveAppends => _exclusive;

        private int _exclusive;
        private readonly Lock _gate = new();

        public async ValueTask<AttendanceRecord?> AppendUnlessPassedAsync(AttendanceRecord record, TimeSpan window, CancellationToken cancellationToken = default)
        {
            Interlocked.Increment(ref _exclusive);
            if (Delay > TimeSpan.Zero)
            {
                await Task.Delay(Delay, CancellationToken.None);
            }

            if (Fail)
            {
                throw new EventKitUnavailableException("down") { RetryAfter = TimeSpan.FromSeconds(3) };
            }

            lock (_gate)
            {
                var existing = _records.FirstOrDefault(r => record.RequestId is not null && r.RequestId == record.RequestId)
                    ?? (window > TimeSpan.Zero
                        ? _records.FirstOrDefault(r => r.ParticipantId == record.ParticipantId && r.GateId == record.GateId && r.OccurredAt > record.OccurredAt - window && r.OccurredAt < record.OccurredAt + window)
                        : null);
                if (existing is not null)
                {
                    return existing;
                }

                _records.Enqueue(record);
            }

            if (FailAfterCommit)
            {
                throw new EventKitUnavailableException("connection lost after COMMIT");
            }

            return null;
        }

        /// <summary>Puts a record in storage as another node (or this node before a restart) would have.</summary>
        public void Seed(AttendanceRecord record) => _records.Enqueue(record);

        public Task<AttendanceRecord?> FindByRequestIdAsync(Guid requestId, CancellationToken cancellationToken = default)
            => Task.FromResult(_records.FirstOrDefault(r => r.RequestId == requestId));

        public Task<Page<AttendanceRecord>> QueryAsync(AttendanceQuery query, CancellationToken cancellationToken = default) => throw new NotSupportedException();

        public Task<long> CountAtGateSinceAsync(long gateId, DateTimeOffset since, CancellationToken cancellationToken = default) => throw new NotSupportedException();

        public Task<IReadOnlyList<GateCount>> CountPerGateSinceAsync(DateTimeOffset since, CancellationToken cancellationToken = default)
            => Task.FromResult<IReadOnlyList<GateCount>>([.. _records.Where(r => r.OccurredAt >= since).GroupBy(r => r.GateId).Select(g => new GateCount(g.Key, g.LongCount()))]);

        public Task<bool> AnyRecordSinceAsync(DateTimeOffset since, CancellationToken cancellationToken = default)
            => Task.FromResult(_records.Any(r => r.OccurredAt >= since));

        public Task<IReadOnlyList<AttendanceSummary>> GetSummariesAsync(IReadOnlyCollection<long> participantIds, CancellationToken cancellationToken = default) => throw new NotSupportedException();

        public Task<AttendanceRecord?> FindLatestAsync(long participantId, long gateId, DateTimeOffset since, CancellationToken cancellationToken = default) => throw new NotSupportedException();

        public async Task AppendManyAsync(IReadOnlyList<AttendanceRecord> records, CancellationToken cancellationToken = default)
        {
            foreach (var record in records)
            {
                await AppendAsync(record, cancellationToken);
            }
        }
    }
}
