using System.Collections.Concurrent;

namespace EventKit.Internal;

/// <summary>
/// Check-in claims held by this process: exact on one node, and the fallback of the Redis store
/// while Redis is unreachable. Expired entries are swept as new ones arrive, so memory is bounded by
/// the traffic of one window.
/// </summary>
internal sealed class InMemoryCheckInClaims(TimeProvider time) : ICheckInClaims
{
    private const int SweepEvery = 4096;

    private readonly ConcurrentDictionary<(long Participant, long Gate), Entry<PassageClaim>> _passages = new();
    private readonly ConcurrentDictionary<Guid, Entry<CheckInResult?>> _requests = new();

    // Request ids whose last attempt failed with its commit unknown; kept as long as answers are.
    private readonly ConcurrentDictionary<Guid, DateTimeOffset> _uncertain = new();
    private int _writes;

    public ValueTask<PassageClaim?> TryClaimPassageAsync(long participantId, long gateId, PassageClaim claim, TimeSpan window, CancellationToken cancellationToken = default)
    {
        var now = time.GetUtcNow();
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
        var now = time.GetUtcNow();
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
        _requests[requestId] = new Entry<CheckInResult?>(answer, time.GetUtcNow() + retention);
        _uncertain.TryRemove(requestId, out _);
        return ValueTask.CompletedTask;
    }

    public ValueTask AbandonRequestAsync(Guid requestId, bool outcomeUnknown = false, CancellationToken cancellationToken = default)
    {
        if (_requests.TryGetValue(requestId, out var held) && held.Value is null)
        {
            if (outcomeUnknown)
            {
                _uncertain[requestId] = time.GetUtcNow() + UncertainRetention;
            }

            _requests.TryRemove(KeyValuePair.Create(requestId, held));
        }

        return ValueTask.CompletedTask;
    }

    private static readonly TimeSpan UncertainRetention = TimeSpan.FromHours(24);

    private RequestStart Started(Guid requestId, DateTimeOffset now)
        => _uncertain.TryGetValue(requestId, out var until) && until > now ? new RequestStart(RequestStartState.Started, OutcomeUnknown: true) : RequestStart.Started;

    /// <summary>How many claims and remembered requests are held (for tests and diagnostics).</summary>
    internal int Count => _passages.Count + _requests.Count + _uncertain.Count;

    private void MaybeSweep(DateTimeOffset now)
    {
        if (Interlocked.Increment(ref _writes) % SweepEvery != 0)
        {
            return;
        }

        foreach (var (key, entry) in _passages)
        {
            if (entry.ExpiresAt <= now)
            {
                _passages.TryRemove(KeyValuePair.Create(key, entry));
            }
        }

        foreach (var (key, entry) in _requests)
        {
            if (entry.ExpiresAt <= now)
            {
                _requests.TryRemove(KeyValuePair.Create(key, entry));
            }
        }

        foreach (var (key, until) in _uncertain)
        {
            if (until <= now)
            {
                _uncertain.TryRemove(KeyValuePair.Create(key, until));
            }
        }
    }

    private sealed record Entry<T>(T Value, DateTimeOffset ExpiresAt);
}
