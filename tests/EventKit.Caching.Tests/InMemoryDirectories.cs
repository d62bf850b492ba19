namespace EventKit.Caching.Tests;

/// <summary>
/// A small in-test participant/gate store standing in for EventKit.Storage on the decorated side; it counts reads so
/// tests can see which ones the cache absorbed. Redis in these tests is real.
/// </summary>
internal sealed class InMemoryDirectories : IParticipantDirectory, IParticipantRegistry, IGateDirectory, IGateRegistry
{
    private readonly Lock _gate = new();
    private readonly Dictionary<long, Participant> _participants = [];
    private readonly Dictionary<CredentialHash, long> _credentials = [];
    private readonly Dictionary<long, Gate> _gates = [];
    private long _nextId = 1;

    public int CredentialReads;
    public int IdReads;
    public int BatchReads;
    public int GateReads;

    public ValueTask<Participant?> FindByCredentialAsync(CredentialHash credential, CancellationToken cancellationToken = default)
    {
        Interlocked.Increment(ref CredentialReads);
        lock (_gate)
        {
            return ValueTask.FromResult(_credentials.TryGetValue(credential, out var id) ? _participants[id] : null);
        }
    }

    public ValueTask<Participant?> GetAsync(long participantId, CancellationToken cancellationToken = default)
    {
        Interlocked.Increment(ref IdReads);
        lock (_gate)
        {
            return ValueTask.FromResult(_participants.GetValueOrDefault(participantId));
        }
    }

    public Task<IReadOnlyList<Participant>> GetManyAsync(IReadOnlyCollection<long> participantIds, CancellationToken cancellationToken = default)
    {
        Interlocked.Increment(ref BatchReads);
        lock (_gate)
        {
            var found = new List<Participant>();
            foreach (var id in participantIds)
            {
                if (_participants.TryGetValue(id, out var p))
                {
                    found.Add(p);
                }
            }

            return Task.FromResult<IReadOnlyList<Participant>>(found);
        }
    }

    public Task<IReadOnlyList<long>> RegisterAsync(long eventId, IReadOnlyList<NewParticipant> participants, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            var ids = new List<long>();
            foreach (var item in participants)
            {
                var id = _nextId++;
                _participants[id] = new Participant(id, eventId, item.Name, item.Email, item.Status, item.ExternalRef);
                _credentials[CredentialHash.Compute(item.Credential)] = id;
                ids.Add(id);
            }

            return Task.FromResult<IReadOnlyList<long>>(ids);
        }
    }

    public Task<bool> SetStatusAsync(long participantId, ParticipantStatus status, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            if (!_participants.TryGetValue(participantId, out var p))
            {
                return Task.FromResult(false);
            }

            _participants[participantId] = p with { Status = status };
            return Task.FromResult(true);
        }
    }

    public Task<bool> ReplaceCredentialAsync(long participantId, string newCredential, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            if (!_participants.ContainsKey(participantId))
            {
                return Task.FromResult(false);
            }

            foreach (var (hash, id) in _credentials.ToArray())
            {
                if (id == participantId)
                {
                    _credentials.Remove(hash);
                }
            }

            _credentials[CredentialHash.Compute(newCredential)] = participantId;
            return Task.FromResult(true);
        }
    }

    public async Task<bool> UpdateAsync(long participantId, ParticipantStatus? status, string? newCredential, CancellationToken cancellationToken = default)
    {
        if (newCredential is not null && !await ReplaceCredentialAsync(participantId, newCredential, cancellationToken))
        {
            return false;
        }

        return status is not { } s || await SetStatusAsync(participantId, s, cancellationToken);
    }

    ValueTask<Gate?> IGateDirectory.GetAsync(long gateId, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref GateReads);
        lock (_gate)
        {
            return ValueTask.FromResult(_gates.GetValueOrDefault(gateId));
        }
    }

    public Task<IReadOnlyList<Gate>> GetAllAsync(long eventId, CancellationToken cancellationToken = default)
    {
        Interlocked.Increment(ref GateReads);
        lock (_gate)
        {
            return Task.FromResult<IReadOnlyList<Gate>>(_gates.Values.Where(g => g.EventId == eventId).OrderBy(g => g.Id).ToList());
        }
    }

    public Task<Gate> CreateAsync(long eventId, string name, GateKind kind, bool isOpen, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            var gate = new Gate(_nextId++, eventId, name, kind, isOpen);
            _gates[gate.Id] = gate;
            return Task.FromResult(gate);
        }
    }

    public Task<bool> SetOpenAsync(long gateId, bool isOpen, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            if (!_gates.TryGetValue(gateId, out var gate))
            {
                return Task.FromResult(false);
            }

            _gates[gateId] = gate with { IsOpen = isOpen };
            return Task.FromResult(true);
        }
    }
}
