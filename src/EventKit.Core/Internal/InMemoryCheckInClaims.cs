using System.Collections.Concurrent;
using System.Diagnostics.Metrics;

namespace EventKit.Internal;

/// <summary>
/// Check-in claims held by this process: exact on one node, and the fallback of the Redis store while Redis is
/// unreachable. Expired entries are swept as new ones arrive, and the whole store is capped (<c>ClaimsCapacity</c>):
/// past it answers are evicted first and their ids remembered, so a replay of one is unverified and the pipeline asks
/// PostgreSQL. What this store does not know otherwise — anything before it started (a restarted process), or an
/// evicted passage claim — it reports as unverified for one re-entry window.
/// </summary>
internal sealed class InMemoryCheckInClaims : ICheckInClaims
{
    private const int SweepEvery = 4096;
    private static readonly TimeSpan SweepInterval = TimeSpan.FromSeconds(1);

    private readonly TimeProvider _time;
    private readonly int _capacity;
    private readonly TimeSpan _recoveryWindow;
    private readonly Counter<long>? _evictions;
    private readonly int _checkEvery;
    private long _unverifiedUntilTicks;
    private long _lastSweepTicks;
    private long _writesAtLastSweep;
    private long _countAtLastLook;
    private long _writesAtLastLook;
    private int _sweeping;

    /// <summary>Creates the store.</summary>
    /// <param name="time">The clock.</param>
    /// <param name="capacity">Entries kept at most (claims, answers and uncertain request ids together).</param>
    /// <param name="recoveryWindow">How long after its start, and after an eviction, free passages and new requests are unverified.</param>
    /// <param name="meterFactory">Meters (entries, evictions); none when <see langword="null"/>.</param>
    public InMemoryCheckInClaims(TimeProvider time, int capacity = 1_000_000, TimeSpan recoveryWindow = default, IMeterFactory? meterFactory = null)
    {
        _time = time;
        _capacity = capacity;
        _evictedAnswers = new EvictedIds(capacity);
        _checkEvery = Math.Clamp(capacity / 16, 1, 64);
        _recoveryWindow = recoveryWindow;
        _unverifiedUntilTicks = (time.GetUtcNow() + recoveryWindow).UtcTicks;
        if (meterFactory is not null)
        {
            var meter = meterFactory.Create(EventKitDiagnostics.CheckIn);
            meter.CreateObservableGauge("eventkit.checkin.claims.entries", () => Count, "{entry}", "Claims and remembered answers held in this process's memory.");
            _evictions = meter.CreateCounter<long>("eventkit.checkin.claims.evictions", "{entry}", "Entries evicted because the in-memory claims reached EventKit:ClaimsCapacity.");
            meter.CreateObservableGauge("eventkit.checkin.claims.evicted_answers", () => _evictedAnswers.Count, "{request}", "Request ids whose answers were evicted before they expired; a replay of one asks PostgreSQL.");
        }
    }

    /// <summary>Whether what this store does not hold may still have happened (cold start, eviction).</summary>
    internal bool IsUnverified(DateTimeOffset now) => now.UtcTicks < Interlocked.Read(ref _unverifiedUntilTicks);

    public async ValueTask<PassageClaimResult> TryClaimPassageCheckedAsync(long participantId, long gateId, PassageClaim claim, TimeSpan window, CancellationToken cancellationToken = default)
    {
        var held = await TryClaimPassageAsync(participantId, gateId, claim, window, cancellationToken).ConfigureAwait(false);
        return new PassageClaimResult(held, held is null && IsUnverified(_time.GetUtcNow()));
    }

    private readonly ConcurrentDictionary<(long Participant, long Gate), Entry<PassageClaim>> _passages = new();
    private readonly ConcurrentDictionary<Guid, Entry<CheckInResult?>> _requests = new();

    // Ids of answers evicted before they expired, with their expiry: compact (no object per id) and capped like the store.
    private readonly EvictedIds _evictedAnswers;

    // Request ids whose last attempt failed with its commit unknown; kept as long as answers are.
    private readonly ConcurrentDictionary<Guid, DateTimeOffset> _uncertain = new();
    private long _writes;

    public ValueTask<PassageClaim?> TryClaimPassageAsync(long participantId, long gateId, PassageClaim claim, TimeSpan window, CancellationToken cancellationToken = default)
    {
        var now = _time.GetUtcNow();
        var key = (participantId, gateId);
        var mine = new Entry<PassageClaim>(claim, now + window);
        MaybeSweep(now);
        while (true)
        {
            if (_passages.TryAdd(key, mine))
            {
                return ValueTask.FromResult<PassageClaim?>(null);
            }

            if (!_passages.TryGetValue(key, out var held))
            {
                continue;
            }

            if (held.ExpiresAt > now)
            {
                return ValueTask.FromResult<PassageClaim?>(held.Value);
            }

            if (_passages.TryUpdate(key, mine, held))
            {
                return ValueTask.FromResult<PassageClaim?>(null);
            }
        }
    }

    public ValueTask ReleasePassageAsync(long participantId, long gateId, Guid recordId, CancellationToken cancellationToken = default)
    {
        var key = (participantId, gateId);
        if (_passages.TryGetValue(key, out var held) && held.Value.RecordId == recordId)
        {
            _passages.TryRemove(KeyValuePair.Create(key, held));
        }

        return ValueTask.CompletedTask;
    }

    public ValueTask<RequestStart> TryStartRequestAsync(Guid requestId, TimeSpan lease, CancellationToken cancellationToken = default)
    {
        var now = _time.GetUtcNow();
        var pending = new Entry<CheckInResult?>(null, now + lease);
        MaybeSweep(now);
        while (true)
        {
            if (_requests.TryAdd(requestId, pending))
            {
                return ValueTask.FromResult(Started(requestId, now));
            }

            if (!_requests.TryGetValue(requestId, out var held))
            {
                continue;
            }

            if (held.ExpiresAt <= now)
            {
                if (_requests.TryUpdate(requestId, pending, held))
                {
                    return ValueTask.FromResult(Started(requestId, now));
                }

                continue;
            }

            return ValueTask.FromResult(held.Value is { } answer ? new RequestStart(RequestStartState.Answered, answer) : RequestStart.InFlight);
        }
    }

    public ValueTask SaveAnswerAsync(Guid requestId, CheckInResult answer, TimeSpan retention, CancellationToken cancellationToken = default)
    {
        _requests[requestId] = new Entry<CheckInResult?>(answer, _time.GetUtcNow() + retention);
        _uncertain.TryRemove(requestId, out _);
        return ValueTask.CompletedTask;
    }

    public ValueTask AbandonRequestAsync(Guid requestId, bool outcomeUnknown = false, CancellationToken cancellationToken = default)
    {
        if (_requests.TryGetValue(requestId, out var held) && held.Value is null)
        {
            if (outcomeUnknown)
            {
                _uncertain[requestId] = _time.GetUtcNow() + UncertainRetention;
            }

            _requests.TryRemove(KeyValuePair.Create(requestId, held));
        }

        return ValueTask.CompletedTask;
    }

    private static readonly TimeSpan UncertainRetention = TimeSpan.FromHours(24);

    private RequestStart Started(Guid requestId, DateTimeOffset now)
        => _uncertain.TryGetValue(requestId, out var until) && until > now
            ? new RequestStart(RequestStartState.Started, OutcomeUnknown: true)
            : IsUnverified(now) || _evictedAnswers.Contains(requestId, now.UtcTicks) ? new RequestStart(RequestStartState.Started, Unverified: true) : RequestStart.Started;

    /// <summary>How many claims and remembered requests are held (for tests and diagnostics).</summary>
    internal int Count => _passages.Count + _requests.Count + _uncertain.Count;

    private void MaybeSweep(DateTimeOffset now)
    {
        // Counting a ConcurrentDictionary takes every one of its locks (up to 1,024 each once the tables grow), so the
        // store is not counted per write. Between exact counts it is bounded from above: each write adds at most one entry
        // (a claim, a pending request), and the answer or uncertain mark that follows a request replaces its entry, so
        // the last exact count plus twice the writes since is never below the true size. The bound is checked once per
        // _checkEvery writes and eviction starts _checkEvery entries below the capacity, so the store cannot pass it
        // between two checks; the exact count is taken only when the bound nears the capacity or a sweep may be due.
        var writes = Interlocked.Increment(ref _writes);
        if (writes % _checkEvery != 0)
        {
            return;
        }

        // Read in the reverse of the order Look writes them: an older base of writes with a newer count only makes the
        // bound larger, never smaller than the true size.
        var writesAtLastLook = Interlocked.Read(ref _writesAtLastLook);
        var bound = Interlocked.Read(ref _countAtLastLook) + (2 * (writes - writesAtLastLook));
        var sweepTick = writes % SweepEvery == 0 && now.UtcTicks - Interlocked.Read(ref _lastSweepTicks) >= SweepInterval.Ticks;
        if ((bound < _capacity - _checkEvery && !sweepTick) || Interlocked.CompareExchange(ref _sweeping, 1, 0) != 0)
        {
            return;
        }

        try
        {
            var count = Look(writes);
            var full = count >= _capacity - _checkEvery;

            // A sweep scans every entry, so it is amortised: at most once per SweepInterval (entries expire by time), and
            // only after half the store's size in writes since the last one (about two entries scanned per write, where a
            // million entries with a day's idempotency window would otherwise be scanned every second). Expired entries
            // may wait that long; a full store sweeps at once before it evicts anything.
            var sweepDue = sweepTick && (writes - Interlocked.Read(ref _writesAtLastSweep)) * 2 >= count;
            if (!full && !sweepDue)
            {
                return;
            }

            Interlocked.Exchange(ref _lastSweepTicks, now.UtcTicks);
            Interlocked.Exchange(ref _writesAtLastSweep, writes);
            Sweep(now);
            if (Look(writes) >= _capacity - _checkEvery)
            {
                Evict(now);
                Look(writes);
            }
        }
        finally
        {
            Volatile.Write(ref _sweeping, 0);
        }
    }

    /// <summary>Counts the store exactly and makes it the base of the bound.</summary>
    private int Look(long writes)
    {
        // A write is numbered before its entry is added, so the last _checkEvery writes before this look are kept in the
        // bound as if the count had missed them; a write that lands between here and the count is then counted twice.
        Interlocked.Exchange(ref _writesAtLastLook, writes - _checkEvery);
        var count = Count;
        Interlocked.Exchange(ref _countAtLastLook, count);
        return count;
    }

    /// <summary>
    /// Frees a tenth of the capacity. Finished requests' answers go first, earliest expiry first (refusals, kept for at
    /// most a re-entry window, before admissions), and their ids are remembered apart, compactly, until their answers
    /// would have expired: a replay of one of those ids is unverified and asks PostgreSQL, while every other request and
    /// every passage stays exact. Only when answers cannot free enough are claims (and request marks) evicted; then, as
    /// at a cold start, the whole store is unverified for one re-entry window.
    /// </summary>
    private void Evict(DateTimeOffset now)
    {
        var target = _capacity - (_capacity / 10);
        var excess = (long)Count - target;
        if (excess <= 0)
        {
            return;
        }

        // Remembered (or the store made unverified) before the answer goes: a replay that starts the moment the answer is
        // gone must already find out that it cannot be trusted.
        var (below, upto) = Cut(Expiries(_requests, AnswerExpiry), excess);
        Action<Guid, Entry<CheckInResult?>> remember = (id, entry) =>
        {
            if (!_evictedAnswers.TryAdd(id, entry.ExpiresAt.UtcTicks))
            {
                MarkUnverified(now);
            }
        };
        var evicted = RemoveBefore(_requests, AnswerExpiry, below, excess, remember);
        evicted += RemoveBefore(_requests, AnswerExpiry, upto, excess - evicted, remember);
        if (evicted < excess)
        {
            MarkUnverified(now);
            evicted += EvictClaims(excess - evicted);
        }

        _evictions?.Add(evicted);
    }

    private void MarkUnverified(DateTimeOffset now) => InterlockedMax.Raise(ref _unverifiedUntilTicks, (now + _recoveryWindow).UtcTicks);

    private static long? AnswerExpiry(Entry<CheckInResult?> entry) => entry.Value is null ? null : entry.ExpiresAt.UtcTicks;

    private static long? MarkExpiry(Entry<CheckInResult?> entry) => entry.Value is null ? entry.ExpiresAt.UtcTicks : null;

    private static long? RequestExpiry(Entry<CheckInResult?> entry) => entry.ExpiresAt.UtcTicks;

    private static long? PassageExpiry(Entry<PassageClaim> entry) => entry.ExpiresAt.UtcTicks;

    private static long? UncertainExpiry(DateTimeOffset until) => until.UtcTicks;

    /// <summary>The expiries of the entries <paramref name="expiry"/> selects (a <see langword="null"/> expiry leaves an entry out).</summary>
    private static IEnumerable<long> Expiries<TKey, TValue>(ConcurrentDictionary<TKey, TValue> store, Func<TValue, long?> expiry)
        where TKey : notnull
    {
        foreach (var (_, value) in store)
        {
            if (expiry(value) is { } ticks)
            {
                yield return ticks;
            }
        }
    }

    /// <summary>
    /// Removes the entries of <paramref name="store"/> that expire before <paramref name="limit"/> (a <see langword="null"/>
    /// expiry leaves an entry alone), at most <paramref name="budget"/> of them; <paramref name="beforeRemove"/> runs
    /// before each removal. An entry replaced meanwhile stays.
    /// </summary>
    /// <returns>How many were removed.</returns>
    private static long RemoveBefore<TKey, TValue>(ConcurrentDictionary<TKey, TValue> store, Func<TValue, long?> expiry, long limit, long budget, Action<TKey, TValue>? beforeRemove = null)
        where TKey : notnull
    {
        long removed = 0;
        foreach (var (key, value) in store)
        {
            if (removed >= budget)
            {
                break;
            }

            if (expiry(value) is not { } ticks || ticks >= limit)
            {
                continue;
            }

            beforeRemove?.Invoke(key, value);
            removed += store.TryRemove(KeyValuePair.Create(key, value)) ? 1 : 0;
        }

        return removed;
    }

    /// <summary>Evicts about <paramref name="excess"/> passage claims, request marks and uncertain marks, earliest expiry first.</summary>
    private long EvictClaims(long excess)
    {
        var (below, upto) = Cut(
            Expiries(_passages, PassageExpiry).Concat(Expiries(_requests, MarkExpiry)).Concat(Expiries(_uncertain, UncertainExpiry)),
            excess);
        long evicted = 0;
        foreach (var limit in (ReadOnlySpan<long>)[below, upto])
        {
            evicted += RemoveBefore(_passages, PassageExpiry, limit, excess - evicted);
            evicted += RemoveBefore(_requests, MarkExpiry, limit, excess - evicted);
            evicted += RemoveBefore(_uncertain, UncertainExpiry, limit, excess - evicted);
        }

        return evicted;
    }

    private const int CutBuckets = 1024;

    /// <summary>
    /// Where to cut so that about <paramref name="excess"/> of <paramref name="expiries"/> (enumerated twice), the
    /// earliest, are dropped, without sorting them: a histogram of 1,024 buckets between the earliest and the latest.
    /// Everything expiring before <c>Below</c> goes, then entries expiring before <c>Upto</c> (the end of the bucket
    /// where the cut falls) until <paramref name="excess"/> are gone.
    /// </summary>
    internal static (long Below, long Upto) Cut(IEnumerable<long> expiries, long excess)
    {
        long min = long.MaxValue, max = long.MinValue;
        foreach (var ticks in expiries)
        {
            min = Math.Min(min, ticks);
            max = Math.Max(max, ticks);
        }

        if (min > max)
        {
            return (long.MinValue, long.MinValue);
        }

        var width = ((max - min) / CutBuckets) + 1;
        var counts = new long[CutBuckets];
        foreach (var ticks in expiries)
        {
            // Entries added since the first pass may lie outside [min, max].
            counts[Math.Clamp((ticks - min) / width, 0, CutBuckets - 1)]++;
        }

        long cumulative = 0;
        for (var bucket = 0; bucket < CutBuckets; bucket++)
        {
            if (cumulative + counts[bucket] >= excess)
            {
                return (min + (bucket * width), min + ((bucket + 1) * width));
            }

            cumulative += counts[bucket];
        }

        return (long.MaxValue, long.MaxValue);
    }

    private void Sweep(DateTimeOffset now)
    {
        _evictedAnswers.Sweep(now.UtcTicks);
        var until = now.UtcTicks + 1; // what expires at or before now
        RemoveBefore(_passages, PassageExpiry, until, long.MaxValue);
        RemoveBefore(_requests, RequestExpiry, until, long.MaxValue);
        RemoveBefore(_uncertain, UncertainExpiry, until, long.MaxValue);
    }

    private sealed record Entry<T>(T Value, DateTimeOffset ExpiresAt);

    /// <summary>
    /// Request ids and the time until which their evicted answers would have been kept: a plain dictionary under a lock
    /// (its entries are structs in one array, about 36 bytes an id, nothing for the GC to trace), read without the lock
    /// while it is empty.
    /// </summary>
    private sealed class EvictedIds(int capacity)
    {
        private readonly Dictionary<Guid, long> _ids = [];
        private readonly Lock _lock = new();
        private int _count;

        /// <summary>Remembers <paramref name="id"/>; false when the set is full and it was not remembered.</summary>
        public bool TryAdd(Guid id, long untilTicks)
        {
            lock (_lock)
            {
                if (_ids.Count >= capacity && !_ids.ContainsKey(id))
                {
                    return false;
                }

                _ids[id] = untilTicks;
                Volatile.Write(ref _count, _ids.Count);
                return true;
            }
        }

        public int Count => Volatile.Read(ref _count);

        public bool Contains(Guid id, long nowTicks)
        {
            if (Volatile.Read(ref _count) == 0)
            {
                return false;
            }

            lock (_lock)
            {
                return _ids.TryGetValue(id, out var until) && until > nowTicks;
            }
        }

        public void Sweep(long nowTicks)
        {
            if (Volatile.Read(ref _count) == 0)
            {
                return;
            }

            lock (_lock)
            {
                foreach (var (id, until) in _ids)
                {
                    if (until <= nowTicks)
                    {
                        _ids.Remove(id);
                    }
                }

                Volatile.Write(ref _count, _ids.Count);
            }
        }
    }
}
