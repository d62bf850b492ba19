namespace EventKit.Gates.Ble.Internal;

/// <summary>
/// Enter/exit detection per (gate, participant) with bounded memory. Not thread-safe: the caller holds <see cref="SyncRoot"/>.
/// </summary>
/// <remarks>
/// States live in one array linked as a least-recently-used list (head = last touched), indexed by a dictionary, so a
/// sighting costs one lookup and no allocation once warm; at <see cref="BleGateOptions.MaxTrackedDevices"/> the least
/// recently touched state is dropped. State is keyed by the resolved participant, not the MAC: phones rotate their address,
/// and adverts that resolve to nobody never create state, so a flood of random MACs costs nothing here.
/// Dwell and exit delays use the sightings' own timestamps (gateways batch); recency and eviction use the engine's clock.
/// </remarks>
internal sealed class PresenceEngine
{
    private const int None = -1;
    private readonly Dictionary<DeviceKey, int> _index = [];
    private readonly Dictionary<long, LastEntry> _lastEntries = [];
    private readonly BleGateOptions _options;
    private readonly long _dwellMs;
    private readonly long _exitDelayMs;
    private readonly long _notSeenMs;
    private readonly long _idleMs;
    private readonly long _travelMs;
    private Slot[] _slots = new Slot[64];
    private int _used;
    private int _freeHead = None;
    private int _head = None;
    private int _tail = None;

    public PresenceEngine(BleGateOptions options)
    {
        _options = options;
        _dwellMs = (long)options.EnterDwell.TotalMilliseconds;
        _exitDelayMs = (long)options.ExitDelay.TotalMilliseconds;
        _notSeenMs = (long)options.NotSeenTimeout.TotalMilliseconds;
        _idleMs = (long)options.IdleEviction.TotalMilliseconds;
        _travelMs = (long)options.MinTravelTime.TotalMilliseconds;
    }

    public Lock SyncRoot { get; } = new();

    public int TrackedDevices => _index.Count;

    public long Evictions { get; private set; }

    public PresenceOutcome Observe(long gateId, long participantId, CredentialKind kind, int rssi, int measuredPowerAt1m, long atMs, long nowMs, out long otherGateId)
    {
        otherGateId = 0;
        var key = new DeviceKey(gateId, participantId);
        if (!_index.TryGetValue(key, out var i))
        {
            i = Allocate();
            _slots[i] = new Slot { Key = key, Kind = kind, LastSeenMs = atMs, NearSinceMs = None, FarSinceMs = None };
            _index.Add(key, i);
            LinkAtHead(i);
        }
        else
        {
            Unlink(i);
            LinkAtHead(i);
        }

        ref var slot = ref _slots[i];
        slot.TouchedMs = nowMs;
        slot.Kind = kind;
        var outcome = PresenceOutcome.None;

        // Sightings can arrive out of order across batches; time never runs backwards for a device.
        var at = Math.Max(atMs, slot.LastSeenMs);
        if (at - slot.LastSeenMs > _notSeenMs)
        {
            if (slot.Inside && !slot.Refused)
            {
                outcome = PresenceOutcome.Exited;
            }

            slot.Inside = false;
            slot.Refused = false;
            slot.HasEstimate = false;
            slot.NearSinceMs = None;
            slot.FarSinceMs = None;
        }

        slot.LastSeenMs = at;
        var filtered = _options.RssiFilter == BleRssiFilter.Kalman
            ? RssiFilter.Kalman(ref slot.Estimate, ref slot.Variance, ref slot.HasEstimate, rssi, _options.KalmanProcessNoise, _options.KalmanMeasurementNoise)
            : RssiFilter.Ema(ref slot.Estimate, ref slot.HasEstimate, rssi, _options.EmaAlpha);
        var distance = RssiFilter.Distance(filtered, measuredPowerAt1m, _options.PathLossExponent);

        if (outcome != PresenceOutcome.None)
        {
            return outcome;
        }

        if (!slot.Inside)
        {
            if (distance > _options.EnterRadius)
            {
                slot.NearSinceMs = None;
                return PresenceOutcome.None;
            }

            if (slot.NearSinceMs == None)
            {
                slot.NearSinceMs = at;
            }

            if (at - slot.NearSinceMs < _dwellMs)
            {
                return PresenceOutcome.None;
            }

            slot.Inside = true;
            slot.FarSinceMs = None;
            if (IsClone(gateId, participantId, at, out otherGateId))
            {
                slot.Refused = true;
                return PresenceOutcome.CloneSuspected;
            }

            slot.Refused = false;
            _lastEntries[participantId] = new LastEntry(gateId, at);
            return PresenceOutcome.Entered;
        }

        if (distance <= _options.ExitRadius)
        {
            slot.FarSinceMs = None;
            return PresenceOutcome.None;
        }

        if (slot.FarSinceMs == None)
        {
            slot.FarSinceMs = at;
        }

        if (at - slot.FarSinceMs < _exitDelayMs)
        {
            return PresenceOutcome.None;
        }

        slot.Inside = false;
        slot.NearSinceMs = None;
        slot.FarSinceMs = None;

        // A refused (suspected clone) entry never counted as an entry, so its end is no exit either.
        return slot.Refused ? PresenceOutcome.None : PresenceOutcome.Exited;
    }

    /// <summary>Undoes an entry whose check-in could not be stored, so the next sightings try again.</summary>
    public void ForgetEntry(long gateId, long participantId)
    {
        if (_index.TryGetValue(new DeviceKey(gateId, participantId), out var i))
        {
            _slots[i].Inside = false;
            _slots[i].NearSinceMs = None;
            _slots[i].FarSinceMs = None;
        }

        if (_lastEntries.TryGetValue(participantId, out var last) && last.GateId == gateId)
        {
            _lastEntries.Remove(participantId);
        }
    }

    /// <summary>Refuses an entry after the fact (another node saw the participant enter another gate within the travel
    /// time): like a local clone, its end is no exit, and it is not the participant's last entry.</summary>
    public void RefuseEntry(long gateId, long participantId)
    {
        if (_index.TryGetValue(new DeviceKey(gateId, participantId), out var i) && _slots[i].Inside)
        {
            _slots[i].Refused = true;
        }

        if (_lastEntries.TryGetValue(participantId, out var last) && last.GateId == gateId)
        {
            _lastEntries.Remove(participantId);
        }
    }

    /// <summary>Exits devices no longer heard, drops idle state and forgotten entries.</summary>
    /// <param name="nowMs">The engine's clock.</param>
    /// <param name="exits">Receives (gate, participant, kind, last seen) of each exit.</param>
    public void Sweep(long nowMs, List<BlePresenceEvent> exits)
    {
        var i = _tail;
        while (i != None)
        {
            ref var slot = ref _slots[i];
            if (nowMs - slot.TouchedMs <= _notSeenMs)
            {
                break;
            }

            var previous = slot.Previous;
            var wasInside = slot.Inside;
            if (slot.Inside)
            {
                slot.Inside = false;
                slot.NearSinceMs = None;
                slot.FarSinceMs = None;
            }

            if (wasInside && !slot.Refused)
            {
                exits.Add(new BlePresenceEvent(BlePresenceEventKind.Exited, slot.Key.Gate, slot.Key.Participant, slot.Kind, DateTimeOffset.FromUnixTimeMilliseconds(slot.LastSeenMs)));
            }

            if (nowMs - slot.TouchedMs > _idleMs)
            {
                Remove(i);
            }

            i = previous;
        }

        if (_lastEntries.Count > 0)
        {
            List<long>? old = null;
            foreach (var (participant, entry) in _lastEntries)
            {
                if (nowMs - entry.AtMs > Math.Max(_travelMs, _notSeenMs))
                {
                    (old ??= []).Add(participant);
                }
            }

            if (old is not null)
            {
                foreach (var participant in old)
                {
                    _lastEntries.Remove(participant);
                }
            }
        }
    }

    private bool IsClone(long gateId, long participantId, long atMs, out long otherGateId)
    {
        otherGateId = 0;
        if (_travelMs == 0 || !_lastEntries.TryGetValue(participantId, out var last) || last.GateId == gateId)
        {
            return false;
        }

        otherGateId = last.GateId;
        return Math.Abs(atMs - last.AtMs) < _travelMs;
    }

    private int Allocate()
    {
        if (_index.Count >= _options.MaxTrackedDevices)
        {
            // Full: the least recently heard device makes room (its exit is lost; it was the stalest).
            Remove(_tail);
            Evictions++;
        }

        if (_freeHead != None)
        {
            var free = _freeHead;
            _freeHead = _slots[free].Next;
            return free;
        }

        if (_used == _slots.Length)
        {
            Array.Resize(ref _slots, Math.Min(_slots.Length * 2, Math.Max(_options.MaxTrackedDevices, 64)));
        }

        return _used++;
    }

    private void Remove(int i)
    {
        _index.Remove(_slots[i].Key);
        Unlink(i);
        _slots[i] = default;
        _slots[i].Next = _freeHead;
        _freeHead = i;
    }

    private void LinkAtHead(int i)
    {
        _slots[i].Previous = None;
        _slots[i].Next = _head;
        if (_head != None)
        {
            _slots[_head].Previous = i;
        }

        _head = i;
        if (_tail == None)
        {
            _tail = i;
        }
    }

    private void Unlink(int i)
    {
        ref var slot = ref _slots[i];
        if (slot.Previous != None)
        {
            _slots[slot.Previous].Next = slot.Next;
        }
        else
        {
            _head = slot.Next;
        }

        if (slot.Next != None)
        {
            _slots[slot.Next].Previous = slot.Previous;
        }
        else
        {
            _tail = slot.Previous;
        }

        slot.Previous = None;
        slot.Next = None;
    }

    private readonly record struct DeviceKey(long Gate, long Participant);

    private readonly record struct LastEntry(long GateId, long AtMs);

    private struct Slot
    {
        public DeviceKey Key;
        public CredentialKind Kind;
        public double Estimate;
        public double Variance;
        public bool HasEstimate;
        public bool Inside;
        public bool Refused;
        public long LastSeenMs;
        public long TouchedMs;
        public long NearSinceMs;
        public long FarSinceMs;
        public int Previous;
        public int Next;
    }
}
