using System.Collections.Concurrent;

namespace EventKit.Gates.Ble.Tests;

/// <summary>An <see cref="ICheckInService"/> that records requests and admits unless told otherwise.</summary>
internal sealed class RecordingCheckInService : ICheckInService
{
    private readonly ConcurrentQueue<CheckInRequest> _requests = new();

    public IReadOnlyList<CheckInRequest> Requests => [.. _requests];

    public Func<CheckInRequest, CheckInResult>? Respond { get; set; }

    /// <summary>The span current in each call (what the real service's <c>eventkit.checkin</c> span would be a child of).</summary>
    public ConcurrentQueue<System.Diagnostics.Activity?> CallerSpans { get; } = new();

    public ValueTask<CheckInResult> CheckInAsync(CheckInRequest request, CancellationToken cancellationToken = default)
    {
        _requests.Enqueue(request);
        CallerSpans.Enqueue(System.Diagnostics.Activity.Current);
        var result = Respond?.Invoke(request) ?? CheckInResult.Admitted(new AttendanceRecord(
            Guid.NewGuid(), 1, request.ParticipantId!.Value, request.GateId, request.Method, AttendanceDirection.In, request.OccurredAt ?? DateTimeOffset.UnixEpoch, request.RequestId, request.CredentialKind));
        return ValueTask.FromResult(result);
    }
}

/// <summary>An in-memory <see cref="IBleIdentityStore"/>.</summary>
internal sealed class InMemoryBleIdentityStore : IBleIdentityStore
{
    private readonly ConcurrentDictionary<long, BleIdentity> _identities = new();

    public HashSet<long> KnownParticipants { get; } = [];

    public Task<bool> SetAsync(BleIdentity identity, CancellationToken cancellationToken = default)
    {
        if (!KnownParticipants.Contains(identity.ParticipantId))
        {
            return Task.FromResult(false);
        }

        _identities[identity.ParticipantId] = identity;
        return Task.FromResult(true);
    }

    public Task<IReadOnlyList<BleIdentity>> GetActiveAsync(long eventId, CancellationToken cancellationToken = default)
        => Task.FromResult<IReadOnlyList<BleIdentity>>([.. _identities.Values]);

    public void Put(BleIdentity identity)
    {
        KnownParticipants.Add(identity.ParticipantId);
        _identities[identity.ParticipantId] = identity;
    }

    public void Delete(long participantId) => _identities.TryRemove(participantId, out _);
}

/// <summary>Collects presence events.</summary>
internal sealed class RecordingObserver : IBleGateObserver
{
    private readonly ConcurrentQueue<BlePresenceEvent> _events = new();

    public IReadOnlyList<BlePresenceEvent> Events => [.. _events];

    public void OnPresenceEvent(in BlePresenceEvent presenceEvent) => _events.Enqueue(presenceEvent);
}
