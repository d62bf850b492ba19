using EventKit.Internal;
using Microsoft.Extensions.Time.Testing;

namespace EventKit.Core.Tests.CheckIn;

public sealed class InMemoryCheckInClaimsTests
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 21, 9, 0, 0, TimeSpan.Zero));

    [Fact]
    public async Task First_claim_wins_until_the_window_ends()
    {
        var claims = new InMemoryCheckInClaims(_time);
        var first = new PassageClaim(Guid.CreateVersion7(), _time.GetUtcNow());
        var second = new PassageClaim(Guid.CreateVersion7(), _time.GetUtcNow());

        Assert.Null(await claims.TryClaimPassageAsync(1, 2, first, TimeSpan.FromSeconds(60)));
        Assert.Equal(first, await claims.TryClaimPassageAsync(1, 2, second, TimeSpan.FromSeconds(60)));
        Assert.Null(await claims.TryClaimPassageAsync(1, 3, second, TimeSpan.FromSeconds(60)));

        _time.Advance(TimeSpan.FromSeconds(60));
        Assert.Null(await claims.TryClaimPassageAsync(1, 2, second, TimeSpan.FromSeconds(60)));
    }

    [Fact]
    public async Task Release_only_removes_the_callers_own_claim()
    {
        var claims = new InMemoryCheckInClaims(_time);
        var first = new PassageClaim(Guid.CreateVersion7(), _time.GetUtcNow());
        await claims.TryClaimPassageAsync(1, 2, first, TimeSpan.FromSeconds(60));

        await claims.ReleasePassageAsync(1, 2, Guid.CreateVersion7());
        Assert.Equal(first, await claims.TryClaimPassageAsync(1, 2, new PassageClaim(Guid.CreateVersion7(), _time.GetUtcNow()), TimeSpan.FromSeconds(60)));

        await claims.ReleasePassageAsync(1, 2, first.RecordId);
        Assert.Null(await claims.TryClaimPassageAsync(1, 2, new PassageClaim(Guid.CreateVersion7(), _time.GetUtcNow()), TimeSpan.FromSeconds(60)));
    }

    [Fact]
    public async Task Requests_start_once_then_answer_and_abandoned_ones_start_again()
    {
        var claims = new InMemoryCheckInClaims(_time);
        var id = Guid.CreateVersion7();
        Assert.Equal(RequestStartState.Started, (await claims.TryStartRequestAsync(id, TimeSpan.FromSeconds(30))).State);
        Assert.Equal(RequestStartState.InFlight, (await claims.TryStartRequestAsync(id, TimeSpan.FromSeconds(30))).State);

        await claims.AbandonRequestAsync(id);
        Assert.Equal(RequestStartState.Started, (await claims.TryStartRequestAsync(id, TimeSpan.FromSeconds(30))).State);

        var answer = CheckInResult.UnknownCredential(4);
        await claims.SaveAnswerAsync(id, answer, TimeSpan.FromMinutes(5));
        await claims.AbandonRequestAsync(id); // an answered request is not abandoned
        var replay = await claims.TryStartRequestAsync(id, TimeSpan.FromSeconds(30));
        Assert.Equal(RequestStartState.Answered, replay.State);
        Assert.Equal(answer, replay.Answer);

        _time.Advance(TimeSpan.FromMinutes(5));
        Assert.Equal(RequestStartState.Started, (await claims.TryStartRequestAsync(id, TimeSpan.FromSeconds(30))).State);
    }

    [Fact]
    public async Task A_request_abandoned_with_its_commit_unknown_says_so_until_answered()
    {
        var claims = new InMemoryCheckInClaims(_time);
        var id = Guid.CreateVersion7();
        await claims.TryStartRequestAsync(id, TimeSpan.FromSeconds(30));
        await claims.AbandonRequestAsync(id, outcomeUnknown: true);

        var retry = await claims.TryStartRequestAsync(id, TimeSpan.FromSeconds(30));
        Assert.Equal(RequestStartState.Started, retry.State);
        Assert.True(retry.OutcomeUnknown);

        // A retry that fails before writing keeps the uncertainty.
        await claims.AbandonRequestAsync(id);
        Assert.True((await claims.TryStartRequestAsync(id, TimeSpan.FromSeconds(30))).OutcomeUnknown);

        await claims.SaveAnswerAsync(id, CheckInResult.GateClosed(1), TimeSpan.FromSeconds(1));
        _time.Advance(TimeSpan.FromSeconds(2));
        Assert.False((await claims.TryStartRequestAsync(id, TimeSpan.FromSeconds(30))).OutcomeUnknown);
    }

    [Fact]
    public async Task A_dead_handlers_lease_expires()
    {
        var claims = new InMemoryCheckInClaims(_time);
        var id = Guid.CreateVersion7();
        await claims.TryStartRequestAsync(id, TimeSpan.FromSeconds(30));
        _time.Advance(TimeSpan.FromSeconds(31));
        Assert.Equal(RequestStartState.Started, (await claims.TryStartRequestAsync(id, TimeSpan.FromSeconds(30))).State);
    }

    [Fact]
    public async Task Expired_entries_are_swept_so_memory_stays_bounded()
    {
        var claims = new InMemoryCheckInClaims(_time);
        for (var i = 1; i <= 10_000; i++)
        {
            await claims.TryClaimPassageAsync(i, 1, new PassageClaim(Guid.CreateVersion7(), _time.GetUtcNow()), TimeSpan.FromSeconds(1));
            if (i % 1000 == 0)
            {
                _time.Advance(TimeSpan.FromSeconds(2));
            }
        }

        Assert.True(claims.Count < 5000, $"{claims.Count} entries held");
    }

    [Fact]
    public async Task The_store_never_holds_more_than_its_capacity_between_exact_counts()
    {
        // Claims and requests that do not expire: only eviction keeps the store at its capacity, and the store counts
        // itself exactly only when its upper bound nears the capacity.
        const int Capacity = 1_000;
        var claims = new InMemoryCheckInClaims(_time, Capacity, TimeSpan.FromMinutes(1));
        var max = 0;
        for (var i = 1; i <= 20_000; i++)
        {
            await claims.TryClaimPassageAsync(i, 1, new PassageClaim(Guid.CreateVersion7(), _time.GetUtcNow()), TimeSpan.FromHours(1));
            var request = Guid.CreateVersion7();
            await claims.TryStartRequestAsync(request, TimeSpan.FromHours(1));
            await claims.SaveAnswerAsync(request, CheckInResult.UnknownCredential(1), TimeSpan.FromHours(1));
            max = Math.Max(max, claims.Count);
        }

        Assert.True(max <= Capacity, $"the store held {max} entries with a capacity of {Capacity}");
        Assert.True(claims.Count >= Capacity / 2, $"eviction emptied the store ({claims.Count} entries left)");
        Assert.True(claims.IsUnverified(_time.GetUtcNow()), "an evicting store must report itself unverified");
    }

    [Fact]
    public async Task Evicting_answers_keeps_passages_exact_and_makes_only_the_evicted_request_ids_unverified()
    {
        const int Capacity = 1_000;
        var claims = new InMemoryCheckInClaims(_time, Capacity, TimeSpan.FromMinutes(1));
        _time.Advance(TimeSpan.FromMinutes(2)); // past the start-up window
        var passages = new PassageClaim[100];
        for (var i = 0; i < passages.Length; i++)
        {
            passages[i] = new PassageClaim(Guid.CreateVersion7(), _time.GetUtcNow());
            Assert.Null(await claims.TryClaimPassageAsync(i, 1, passages[i], TimeSpan.FromHours(1)));
        }

        var answered = new List<Guid>();
        for (var i = 0; i < 1_500; i++)
        {
            var id = Guid.CreateVersion7();
            await claims.TryStartRequestAsync(id, TimeSpan.FromSeconds(30));
            await claims.SaveAnswerAsync(id, CheckInResult.UnknownCredential(1), TimeSpan.FromHours(24));
            answered.Add(id);
            _time.Advance(TimeSpan.FromSeconds(1));
        }

        Assert.True(claims.Count <= Capacity, $"the store held {claims.Count} entries with a capacity of {Capacity}");
        Assert.False(claims.IsUnverified(_time.GetUtcNow()), "evicting answers alone must not make the whole store unverified");
        for (var i = 0; i < passages.Length; i++)
        {
            Assert.Equal(passages[i], await claims.TryClaimPassageAsync(i, 1, new PassageClaim(Guid.CreateVersion7(), _time.GetUtcNow()), TimeSpan.FromHours(1)));
        }

        // The oldest answers went; a replay of one of them is unverified (the pipeline asks PostgreSQL), a new id is not.
        var evicted = await claims.TryStartRequestAsync(answered[0], TimeSpan.FromSeconds(30));
        Assert.Equal(RequestStartState.Started, evicted.State);
        Assert.True(evicted.Unverified);
        var fresh = await claims.TryStartRequestAsync(Guid.CreateVersion7(), TimeSpan.FromSeconds(30));
        Assert.Equal(RequestStartState.Started, fresh.State);
        Assert.False(fresh.Unverified);
        Assert.Equal(RequestStartState.Answered, (await claims.TryStartRequestAsync(answered[^1], TimeSpan.FromSeconds(30))).State);

        // Once its answer would have expired, an evicted id is an ordinary new request again.
        _time.Advance(TimeSpan.FromHours(25));
        Assert.False((await claims.TryStartRequestAsync(answered[1], TimeSpan.FromSeconds(30))).Unverified);
    }

    [Fact]
    public async Task When_the_evicted_ids_outgrow_the_capacity_the_whole_store_is_unverified()
    {
        const int Capacity = 1_000;
        var claims = new InMemoryCheckInClaims(_time, Capacity, TimeSpan.FromMinutes(1));
        _time.Advance(TimeSpan.FromMinutes(2));
        for (var i = 0; i < 3_000; i++)
        {
            var id = Guid.CreateVersion7();
            await claims.TryStartRequestAsync(id, TimeSpan.FromSeconds(30));
            await claims.SaveAnswerAsync(id, CheckInResult.UnknownCredential(1), TimeSpan.FromHours(24));
        }

        Assert.True(claims.Count <= Capacity);
        Assert.True(claims.IsUnverified(_time.GetUtcNow()), "answers evicted past what the store can remember must make it unverified");
    }

    [Theory]
    [InlineData(10, 3)]
    [InlineData(5_000, 500)]
    [InlineData(5_000, 4_999)]
    public void The_cut_drops_the_earliest_expiries_first(int entries, int excess)
    {
        var expiries = Enumerable.Range(0, entries).Select(i => 1_000_000L + (i * 7919L % entries * 10)).ToArray();
        var (below, upto) = InMemoryCheckInClaims.Cut(expiries, excess);

        // Everything below the cut fits in the excess, and the cut's bucket completes it.
        Assert.True(expiries.Count(t => t < below) <= excess);
        Assert.True(expiries.Count(t => t < upto) >= excess);
        Assert.True(upto > below);
    }

    [Fact]
    public void The_cut_of_equal_expiries_leaves_the_count_to_the_second_pass()
    {
        var (below, upto) = InMemoryCheckInClaims.Cut(Enumerable.Repeat(42L, 100), 10);
        Assert.Equal(42L, below);
        Assert.True(upto > 42L);
        Assert.Equal((long.MinValue, long.MinValue), InMemoryCheckInClaims.Cut([], 10));
        Assert.Equal((long.MaxValue, long.MaxValue), InMemoryCheckInClaims.Cut([1L, 2L], 10));
    }
}
