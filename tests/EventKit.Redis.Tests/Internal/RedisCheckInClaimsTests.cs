using EventKit.Redis.Internal;
using EventKit.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace EventKit.Redis.Tests.Internal;

public sealed class RedisCheckInClaimsTests(RedisFixture redis) : IClassFixture<RedisFixture>
{
    /// <summary>A node with the Redis claims and no cache at all: cross-node claims must not need a HybridCache.</summary>
    private ServiceProvider Node(string? configuration = null, string? prefix = null)
    {
        var services = new ServiceCollection().AddLogging();
        services.AddEventKit()
            .AddRedisCheckInClaims(o => o.KeyPrefix = prefix ?? redis.KeyPrefix)
            .AddRedis(o => o.Configuration = configuration ?? redis.Configuration);
        var provider = services.BuildServiceProvider();
        provider.GetRequiredService<IRedisConnection>().ConnectAsync().GetAwaiter().GetResult();
        return provider;
    }

    private static PassageClaim NewClaim() => new(Guid.CreateVersion7(), DateTimeOffset.FromUnixTimeMilliseconds(1_795_000_000_000));

    [Fact]
    public async Task AddRedisCheckInClaims_registers_redis_claims_without_a_cache()
    {
        await using var node = Node();
        Assert.IsType<RedisCheckInClaims>(node.GetRequiredService<ICheckInClaims>());
    }

    [Fact]
    public async Task A_passage_claimed_on_one_node_is_held_for_the_other()
    {
        await using var a = Node();
        await using var b = Node();
        var first = NewClaim();
        Assert.Null(await a.GetRequiredService<ICheckInClaims>().TryClaimPassageAsync(7, 3, first, TimeSpan.FromMinutes(1)));

        var held = await b.GetRequiredService<ICheckInClaims>().TryClaimPassageAsync(7, 3, NewClaim(), TimeSpan.FromMinutes(1));
        Assert.Equal(first, held);

        // Another node's release of a different record leaves the claim; the holder's release frees it.
        await b.GetRequiredService<ICheckInClaims>().ReleasePassageAsync(7, 3, Guid.CreateVersion7());
        Assert.Equal(first, await b.GetRequiredService<ICheckInClaims>().TryClaimPassageAsync(7, 3, NewClaim(), TimeSpan.FromMinutes(1)));
        await a.GetRequiredService<ICheckInClaims>().ReleasePassageAsync(7, 3, first.RecordId);
        Assert.Null(await b.GetRequiredService<ICheckInClaims>().TryClaimPassageAsync(7, 3, NewClaim(), TimeSpan.FromMinutes(1)));
    }

    [Fact]
    public async Task A_request_started_on_one_node_is_in_flight_then_answered_on_the_other()
    {
        await using var a = Node();
        await using var b = Node();
        var requestId = Guid.CreateVersion7();
        Assert.Equal(RequestStartState.Started, (await a.GetRequiredService<ICheckInClaims>().TryStartRequestAsync(requestId, TimeSpan.FromSeconds(30))).State);
        Assert.Equal(RequestStartState.InFlight, (await b.GetRequiredService<ICheckInClaims>().TryStartRequestAsync(requestId, TimeSpan.FromSeconds(30))).State);

        var answer = CheckInResult.Duplicate(Guid.CreateVersion7(), 5, 2, DateTimeOffset.FromUnixTimeMilliseconds(1_795_000_000_123));
        await a.GetRequiredService<ICheckInClaims>().SaveAnswerAsync(requestId, answer, TimeSpan.FromMinutes(5));
        var replay = await b.GetRequiredService<ICheckInClaims>().TryStartRequestAsync(requestId, TimeSpan.FromSeconds(30));
        Assert.Equal(RequestStartState.Answered, replay.State);
        Assert.Equal(answer, replay.Answer);
    }

    [Fact]
    public async Task Abandoned_requests_can_start_again_on_any_node()
    {
        await using var a = Node();
        await using var b = Node();
        var requestId = Guid.CreateVersion7();
        await a.GetRequiredService<ICheckInClaims>().TryStartRequestAsync(requestId, TimeSpan.FromSeconds(30));
        await a.GetRequiredService<ICheckInClaims>().AbandonRequestAsync(requestId);
        Assert.Equal(RequestStartState.Started, (await b.GetRequiredService<ICheckInClaims>().TryStartRequestAsync(requestId, TimeSpan.FromSeconds(30))).State);
    }

    [Fact]
    public async Task An_unknown_commit_is_reported_to_the_retry_on_any_node_until_answered()
    {
        await using var a = Node();
        await using var b = Node();
        var requestId = Guid.CreateVersion7();
        await a.GetRequiredService<ICheckInClaims>().TryStartRequestAsync(requestId, TimeSpan.FromSeconds(30));
        await a.GetRequiredService<ICheckInClaims>().AbandonRequestAsync(requestId, outcomeUnknown: true);

        var retry = await b.GetRequiredService<ICheckInClaims>().TryStartRequestAsync(requestId, TimeSpan.FromSeconds(30));
        Assert.Equal(RequestStartState.Started, retry.State);
        Assert.True(retry.OutcomeUnknown);
        Assert.Equal(RequestStartState.InFlight, (await a.GetRequiredService<ICheckInClaims>().TryStartRequestAsync(requestId, TimeSpan.FromSeconds(30))).State);

        // The retry failing before its write keeps the uncertainty for the next one.
        await b.GetRequiredService<ICheckInClaims>().AbandonRequestAsync(requestId);
        Assert.True((await a.GetRequiredService<ICheckInClaims>().TryStartRequestAsync(requestId, TimeSpan.FromSeconds(30))).OutcomeUnknown);
    }

    [Fact]
    public async Task An_admission_starts_and_claims_in_one_step_and_a_second_one_gets_the_stored_duplicate()
    {
        await using var a = Node();
        await using var b = Node();
        var first = NewClaim();
        var firstRequest = Guid.CreateVersion7();
        var started = await a.GetRequiredService<ICheckInClaims>().TryStartAdmissionAsync(firstRequest, TimeSpan.FromSeconds(30), 41, 5, first, TimeSpan.FromMinutes(1), TimeSpan.FromMinutes(5));
        Assert.Equal(AdmissionStartState.Started, started.State);
        Assert.True(started.PassageClaimed);

        // The same request again is in flight; another request for the same passage is a duplicate, answered at once.
        Assert.Equal(AdmissionStartState.InFlight, (await b.GetRequiredService<ICheckInClaims>().TryStartAdmissionAsync(firstRequest, TimeSpan.FromSeconds(30), 41, 5, NewClaim(), TimeSpan.FromMinutes(1), TimeSpan.FromMinutes(5))).State);
        var secondRequest = Guid.CreateVersion7();
        var held = await b.GetRequiredService<ICheckInClaims>().TryStartAdmissionAsync(secondRequest, TimeSpan.FromSeconds(30), 41, 5, NewClaim(), TimeSpan.FromMinutes(1), TimeSpan.FromMinutes(5));
        Assert.Equal(AdmissionStartState.Held, held.State);
        Assert.Equal(first, held.Holder);

        var replay = await a.GetRequiredService<ICheckInClaims>().TryStartRequestAsync(secondRequest, TimeSpan.FromSeconds(30));
        Assert.Equal(RequestStartState.Answered, replay.State);
        Assert.Equal(CheckInResult.Duplicate(first.RecordId, 41, 5, first.OccurredAt), replay.Answer);
    }

    [Fact]
    public async Task An_admission_after_an_unknown_commit_starts_without_claiming()
    {
        await using var a = Node();
        var requestId = Guid.CreateVersion7();
        await a.GetRequiredService<ICheckInClaims>().TryStartRequestAsync(requestId, TimeSpan.FromSeconds(30));
        await a.GetRequiredService<ICheckInClaims>().AbandonRequestAsync(requestId, outcomeUnknown: true);

        var start = await a.GetRequiredService<ICheckInClaims>().TryStartAdmissionAsync(requestId, TimeSpan.FromSeconds(30), 42, 5, NewClaim(), TimeSpan.FromMinutes(1), TimeSpan.FromMinutes(5));
        Assert.Equal(AdmissionStartState.Started, start.State);
        Assert.True(start.OutcomeUnknown);
        Assert.False(start.PassageClaimed);
        Assert.Null(await a.GetRequiredService<ICheckInClaims>().TryClaimPassageAsync(42, 5, NewClaim(), TimeSpan.FromMinutes(1)));

        var noWindow = await a.GetRequiredService<ICheckInClaims>().TryStartAdmissionAsync(Guid.CreateVersion7(), TimeSpan.FromSeconds(30), 43, 5, NewClaim(), TimeSpan.Zero, TimeSpan.FromMinutes(5));
        Assert.Equal(AdmissionStartState.Started, noWindow.State);
        Assert.False(noWindow.PassageClaimed);
    }

    [Fact]
    public async Task With_redis_down_a_node_keeps_its_own_claims()
    {
        await using var server = await DedicatedRedisServer.StartNewAsync();
        await using var node = Node(server.Configuration, "down:");
        var claims = node.GetRequiredService<ICheckInClaims>();
        Assert.Null(await claims.TryClaimPassageAsync(1, 1, NewClaim(), TimeSpan.FromMinutes(1)));

        await server.StopAsync();
        var first = NewClaim();
        Assert.Null(await claims.TryClaimPassageAsync(2, 1, first, TimeSpan.FromMinutes(1)));
        Assert.Equal(first, await claims.TryClaimPassageAsync(2, 1, NewClaim(), TimeSpan.FromMinutes(1)));

        var requestId = Guid.CreateVersion7();
        Assert.Equal(RequestStartState.Started, (await claims.TryStartRequestAsync(requestId, TimeSpan.FromSeconds(30))).State);
        Assert.Equal(RequestStartState.InFlight, (await claims.TryStartRequestAsync(requestId, TimeSpan.FromSeconds(30))).State);
    }

    [Theory]
    [InlineData(CheckInStatus.Admitted)]
    [InlineData(CheckInStatus.Duplicate)]
    [InlineData(CheckInStatus.UnknownCredential)]
    [InlineData(CheckInStatus.InactiveParticipant)]
    [InlineData(CheckInStatus.GateClosed)]
    public void Answers_round_trip_through_their_stored_form(CheckInStatus status)
    {
        var record = AttendanceRecord.Create(1, 5, 2, CheckInMethod.Qr, AttendanceDirection.In, DateTimeOffset.FromUnixTimeMilliseconds(1_795_000_000_000));
        var answer = status switch
        {
            CheckInStatus.Admitted => CheckInResult.Admitted(record),
            CheckInStatus.Duplicate => CheckInResult.Duplicate(record.Id, 5, 2, record.OccurredAt),
            CheckInStatus.UnknownCredential => CheckInResult.UnknownCredential(2),
            CheckInStatus.InactiveParticipant => CheckInResult.InactiveParticipant(2, 5, ParticipantStatus.Suspended),
            _ => CheckInResult.GateClosed(2),
        };
        Assert.Equal(answer, RedisCheckInClaims.ParseAnswer(RedisCheckInClaims.FormatAnswer(answer)));
    }
}
